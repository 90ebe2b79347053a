package io.shoal.rudp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Poly1305 (RFC 8439 section 2.5) for the AEAD construction, where every input is padded to 16 bytes: the message is
 * only ever fed as whole 16-byte blocks (a short last block is zero-padded, which is exactly the AEAD's pad16), so
 * there is no partial-block state. The accumulator and {@code r} are five 26-bit limbs in longs (poly1305-donna-32
 * layout: 25 plain 64-bit multiplications per block, no 128-bit arithmetic); blocks are read straight from the
 * caller's array with unaligned little-endian int reads, not copied first. One thread only.
 */
final class Poly1305Mac {
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;
    /** 2^128 in the top limb: the bit set above every 16-byte block. */
    private static final long HIBIT = 1L << 24;

    private final byte[] last = new byte[16];
    private long r0;
    private long r1;
    private long r2;
    private long r3;
    private long r4;
    private long h0;
    private long h1;
    private long h2;
    private long h3;
    private long h4;
    private int pad0;
    private int pad1;
    private int pad2;
    private int pad3;

    /** Starts a MAC with a 32-byte one-time key {@code key[off, off+32)}: r (clamped), then s. */
    void init(final byte[] key, final int off) {
        r0 = le(key, off) & 0x3ffffff;
        r1 = (le(key, off + 3) >>> 2) & 0x3ffff03;
        r2 = (le(key, off + 6) >>> 4) & 0x3ffc0ff;
        r3 = (le(key, off + 9) >>> 6) & 0x3f03fff;
        r4 = (le(key, off + 12) >>> 8) & 0x00fffff;
        pad0 = le(key, off + 16);
        pad1 = le(key, off + 20);
        pad2 = le(key, off + 24);
        pad3 = le(key, off + 28);
        h0 = 0;
        h1 = 0;
        h2 = 0;
        h3 = 0;
        h4 = 0;
    }

    /** MACs {@code m[off, off+len)} followed by zeros up to a multiple of 16 bytes. */
    void updatePadded(final byte[] m, final int off, final int len) {
        final int full = len & ~15;
        if (full > 0) {
            blocks(m, off, full);
        }
        if (full < len) {
            System.arraycopy(m, off + full, last, 0, len - full);
            Arrays.fill(last, len - full, 16, (byte) 0);
            blocks(last, 0, 16);
        }
    }

    /** MACs the AEAD's last block: the two lengths, 64-bit little-endian. */
    void updateLengths(final long adLen, final long ctLen) {
        for (int i = 0; i < 8; i++) {
            last[i] = (byte) (adLen >>> (8 * i));
            last[8 + i] = (byte) (ctLen >>> (8 * i));
        }
        blocks(last, 0, 16);
    }

    /** Writes the 16-byte tag to {@code out} at {@code off}; {@link #init} must come before the next use. */
    void finish(final byte[] out, final int off) {
        long c;
        long a0 = h0;
        long a1 = h1;
        long a2 = h2;
        long a3 = h3;
        long a4 = h4;
        c = a1 >>> 26; a1 &= M26; a2 += c;
        c = a2 >>> 26; a2 &= M26; a3 += c;
        c = a3 >>> 26; a3 &= M26; a4 += c;
        c = a4 >>> 26; a4 &= M26; a0 += c * 5;
        c = a0 >>> 26; a0 &= M26; a1 += c;
        // h + 5 - 2^130: when it does not borrow, h was >= p and the reduced value is g.
        long g0 = a0 + 5;
        c = g0 >>> 26; g0 &= M26;
        long g1 = a1 + c;
        c = g1 >>> 26; g1 &= M26;
        long g2 = a2 + c;
        c = g2 >>> 26; g2 &= M26;
        long g3 = a3 + c;
        c = g3 >>> 26; g3 &= M26;
        final long g4 = a4 + c - (1L << 26);
        final long useG = (g4 >>> 63) - 1; // all ones when g4 >= 0
        a0 = (a0 & ~useG) | (g0 & useG);
        a1 = (a1 & ~useG) | (g1 & useG);
        a2 = (a2 & ~useG) | (g2 & useG);
        a3 = (a3 & ~useG) | (g3 & useG);
        a4 = (a4 & ~useG) | (g4 & useG);
        // h mod 2^128 as four 32-bit words, plus s.
        long f = ((a0 | (a1 << 26)) & 0xffffffffL) + (pad0 & 0xffffffffL);
        LE_INT.set(out, off, (int) f);
        f = (((a1 >>> 6) | (a2 << 20)) & 0xffffffffL) + (pad1 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(out, off + 4, (int) f);
        f = (((a2 >>> 12) | (a3 << 14)) & 0xffffffffL) + (pad2 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(out, off + 8, (int) f);
        f = (((a3 >>> 18) | (a4 << 8)) & 0xffffffffL) + (pad3 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(out, off + 12, (int) f);
        r0 = r1 = r2 = r3 = r4 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = pad1 = pad2 = pad3 = 0;
    }

    /** h = (h + block) * r for each 16-byte block of {@code m[off, off+len)}; {@code len} is a multiple of 16. */
    private void blocks(final byte[] m, final int off, final int len) {
        final long s1 = r1 * 5;
        final long s2 = r2 * 5;
        final long s3 = r3 * 5;
        final long s4 = r4 * 5;
        long a0 = h0;
        long a1 = h1;
        long a2 = h2;
        long a3 = h3;
        long a4 = h4;
        for (int p = off, end = off + len; p < end; p += 16) {
            a0 += le(m, p) & 0x3ffffff;
            a1 += (le(m, p + 3) >>> 2) & 0x3ffffff;
            a2 += (le(m, p + 6) >>> 4) & 0x3ffffff;
            a3 += (le(m, p + 9) >>> 6) & 0x3ffffff;
            a4 += (le(m, p + 12) >>> 8) | HIBIT;
            final long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
            long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
            long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
            long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
            long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
            long c = d0 >>> 26;
            a0 = d0 & M26;
            d1 += c; c = d1 >>> 26; a1 = d1 & M26;
            d2 += c; c = d2 >>> 26; a2 = d2 & M26;
            d3 += c; c = d3 >>> 26; a3 = d3 & M26;
            d4 += c; c = d4 >>> 26; a4 = d4 & M26;
            a0 += c * 5;
            c = a0 >>> 26; a0 &= M26;
            a1 += c;
        }
        h0 = a0;
        h1 = a1;
        h2 = a2;
        h3 = a3;
        h4 = a4;
    }

    private static int le(final byte[] b, final int off) {
        return (int) LE_INT.get(b, off);
    }
}
