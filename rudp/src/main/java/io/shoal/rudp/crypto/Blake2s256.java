package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.ExtendedDigest;

/**
 * BLAKE2s with a 32-byte output and no key (RFC 7693), the hash of every {@code BLAKE2s} Noise suite, as a
 * BouncyCastle {@link ExtendedDigest}. It exists for {@link #chainAfterBlock} / {@link #resumeAfterBlock}, which
 * expose the chaining value after one whole, non-final block: that lets {@link Blake2sHmac} compress HMAC's key pads
 * once per key instead of once per message (BouncyCastle's {@code Blake2sDigest} keeps a full block buffered until
 * it knows it is not the last, so its saved HMAC states still hold the uncompressed pad). The compression keeps the
 * working vector in locals and lays the message out in the ten rounds' order before the rounds start, so each G reads
 * its words at consecutive indexes instead of through {@code SIGMA}: 0.46 us per block here against 0.54 when each
 * word went through {@code SIGMA} (and 0.52-0.58 for BouncyCastle's). A fully unrolled version and one with the
 * working vector in an array measured no faster than the {@code SIGMA} loop.
 *
 * <p>Not thread-safe: one instance per user. {@link #doFinal} resets the digest, as BouncyCastle's digests do.
 */
final class Blake2s256 implements ExtendedDigest {
    /** Output length in bytes. */
    public static final int DIGEST_BYTES = 32;
    /** Block length in bytes. */
    public static final int BLOCK_BYTES = 64;

    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };
    /** Parameter block word 0 for an unkeyed 32-byte digest: digest length 32, key length 0, fanout 1, depth 1. */
    private static final int PARAM0 = 0x01010000 | DIGEST_BYTES;
    /** The message schedule of RFC 7693 section 2.7, ten rounds of sixteen word indexes. */
    private static final byte[] SIGMA = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    };

    private final int[] h = new int[8];
    private final int[] m = new int[16];
    /** The message words in schedule order: {@code scheduled[i] = m[SIGMA[i]]}. */
    private final int[] scheduled = new int[SIGMA.length];
    private final byte[] buffer = new byte[BLOCK_BYTES];
    private int bufferPos;
    /** Bytes compressed so far (the counter t; 2^64 is out of reach). */
    private long counter;

    /** A digest ready for its first byte. */
    Blake2s256() {
        reset();
    }

    @Override
    public String getAlgorithmName() {
        return "BLAKE2s-256";
    }

    @Override
    public int getDigestSize() {
        return DIGEST_BYTES;
    }

    @Override
    public int getByteLength() {
        return BLOCK_BYTES;
    }

    @Override
    public void reset() {
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= PARAM0;
        bufferPos = 0;
        counter = 0;
    }

    /**
     * Restarts from a chaining value saved by {@link #chainAfterBlock}: as if exactly one block had been hashed and
     * nothing else, so what follows is hashed as the second block on.
     */
    void resumeAfterBlock(final int[] chain) {
        System.arraycopy(chain, 0, h, 0, 8);
        bufferPos = 0;
        counter = BLOCK_BYTES;
    }

    /**
     * The chaining value after hashing {@code block[off, off+64)} as the first, non-final block of a message, into
     * {@code chain} (8 words); leaves this digest reset. Valid only for messages that go on after that block:
     * BLAKE2s flags the last block.
     */
    void chainAfterBlock(final byte[] block, final int off, final int[] chain) {
        reset();
        compress(block, off, BLOCK_BYTES, false);
        System.arraycopy(h, 0, chain, 0, 8);
        reset();
    }

    @Override
    public void update(final byte in) {
        if (bufferPos == BLOCK_BYTES) {
            compress(buffer, 0, BLOCK_BYTES, false);
            bufferPos = 0;
        }
        buffer[bufferPos++] = in;
    }

    @Override
    public void update(final byte[] in, final int off, final int len) {
        int pos = off;
        int left = len;
        while (left > 0) {
            // A full buffer is compressed only once more input arrives: the last block is compressed as final.
            if (bufferPos == BLOCK_BYTES) {
                compress(buffer, 0, BLOCK_BYTES, false);
                bufferPos = 0;
            }
            if (bufferPos == 0 && left > BLOCK_BYTES) {
                compress(in, pos, BLOCK_BYTES, false);
                pos += BLOCK_BYTES;
                left -= BLOCK_BYTES;
                continue;
            }
            final int n = Math.min(left, BLOCK_BYTES - bufferPos);
            System.arraycopy(in, pos, buffer, bufferPos, n);
            bufferPos += n;
            pos += n;
            left -= n;
        }
    }

    @Override
    public int doFinal(final byte[] out, final int outOff) {
        for (int i = bufferPos; i < BLOCK_BYTES; i++) {
            buffer[i] = 0;
        }
        compress(buffer, 0, bufferPos, true);
        for (int i = 0; i < 8; i++) {
            final int w = h[i];
            out[outOff + 4 * i] = (byte) w;
            out[outOff + 4 * i + 1] = (byte) (w >>> 8);
            out[outOff + 4 * i + 2] = (byte) (w >>> 16);
            out[outOff + 4 * i + 3] = (byte) (w >>> 24);
        }
        reset();
        return DIGEST_BYTES;
    }

    /** Compresses the block at {@code off} holding {@code used} message bytes (the rest zeros when final). */
    private void compress(final byte[] block, final int off, final int used, final boolean last) {
        counter += used;
        for (int i = 0; i < 16; i++) {
            final int p = off + 4 * i;
            m[i] = (block[p] & 0xFF) | (block[p + 1] & 0xFF) << 8 | (block[p + 2] & 0xFF) << 16 | block[p + 3] << 24;
        }
        for (int i = 0; i < SIGMA.length; i++) {
            scheduled[i] = m[SIGMA[i]];
        }
        rounds(last);
    }

    /** The ten rounds of G over the working vector, then the feed-forward into {@code h} (RFC 7693 section 3.2). */
    private void rounds(final boolean last) {
        final int[] w = scheduled;
        int v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        int v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        int v12 = IV[4] ^ (int) counter;
        int v13 = IV[5] ^ (int) (counter >>> 32);
        int v14 = last ? ~IV[6] : IV[6];
        int v15 = IV[7];
        for (int s = 0; s < SIGMA.length; s += 16) {
            v0 += v4 + w[s]; v12 = rotr(v12 ^ v0, 16); v8 += v12; v4 = rotr(v4 ^ v8, 12);
            v0 += v4 + w[s + 1]; v12 = rotr(v12 ^ v0, 8); v8 += v12; v4 = rotr(v4 ^ v8, 7);
            v1 += v5 + w[s + 2]; v13 = rotr(v13 ^ v1, 16); v9 += v13; v5 = rotr(v5 ^ v9, 12);
            v1 += v5 + w[s + 3]; v13 = rotr(v13 ^ v1, 8); v9 += v13; v5 = rotr(v5 ^ v9, 7);
            v2 += v6 + w[s + 4]; v14 = rotr(v14 ^ v2, 16); v10 += v14; v6 = rotr(v6 ^ v10, 12);
            v2 += v6 + w[s + 5]; v14 = rotr(v14 ^ v2, 8); v10 += v14; v6 = rotr(v6 ^ v10, 7);
            v3 += v7 + w[s + 6]; v15 = rotr(v15 ^ v3, 16); v11 += v15; v7 = rotr(v7 ^ v11, 12);
            v3 += v7 + w[s + 7]; v15 = rotr(v15 ^ v3, 8); v11 += v15; v7 = rotr(v7 ^ v11, 7);
            v0 += v5 + w[s + 8]; v15 = rotr(v15 ^ v0, 16); v10 += v15; v5 = rotr(v5 ^ v10, 12);
            v0 += v5 + w[s + 9]; v15 = rotr(v15 ^ v0, 8); v10 += v15; v5 = rotr(v5 ^ v10, 7);
            v1 += v6 + w[s + 10]; v12 = rotr(v12 ^ v1, 16); v11 += v12; v6 = rotr(v6 ^ v11, 12);
            v1 += v6 + w[s + 11]; v12 = rotr(v12 ^ v1, 8); v11 += v12; v6 = rotr(v6 ^ v11, 7);
            v2 += v7 + w[s + 12]; v13 = rotr(v13 ^ v2, 16); v8 += v13; v7 = rotr(v7 ^ v8, 12);
            v2 += v7 + w[s + 13]; v13 = rotr(v13 ^ v2, 8); v8 += v13; v7 = rotr(v7 ^ v8, 7);
            v3 += v4 + w[s + 14]; v14 = rotr(v14 ^ v3, 16); v9 += v14; v4 = rotr(v4 ^ v9, 12);
            v3 += v4 + w[s + 15]; v14 = rotr(v14 ^ v3, 8); v9 += v14; v4 = rotr(v4 ^ v9, 7);
        }
        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }

    private static int rotr(final int x, final int n) {
        return Integer.rotateRight(x, n);
    }
}
