package io.shoal.rudp.crypto;

/**
 * Arithmetic modulo p = 2^255 - 19 on five 64-bit limbs of 51 bits (radix 2^51, as in curve25519-donna-c64), for
 * {@link X25519Ladder}. An element is a {@code long[5]} holding {@code sum(l[i] * 2^(51 i))}; it need not be fully
 * reduced. Products are 128 bits wide: {@link Math#multiplyHigh} gives the upper half, which the JIT turns into one
 * {@code mul} on x86-64, so a multiplication costs 25 such products where the radix-2^25.5 form costs 100.
 *
 * <p>Limb bounds, which keep every sum below 2^63: {@link #mul} and {@link #sqr} take limbs below 2^53.5 and return
 * limbs below 2^52 (in fact below 2^51 + 2^16); {@link #add} of two such results stays below 2^53, and {@link #sub}
 * (which adds 2p so nothing goes negative) takes a subtrahend below 2^52 and returns limbs below 2^53.
 *
 * <p>No branch and no memory index depends on a secret value: the only data-dependent operation is the masked
 * {@link #cswap}. Every method writes its result to {@code out}, which may alias an input.
 */
final class Field25519 {
    static final int LIMBS = 5;
    private static final long MASK51 = (1L << 51) - 1;
    /** 2p, limb by limb: added before subtracting so that every limb stays non-negative. */
    private static final long TWO_P0 = 0xFFFFFFFFFFFDAL;
    private static final long TWO_P1234 = 0xFFFFFFFFFFFFEL;

    private Field25519() {
    }

    /** out = a + b, no carry. */
    static void add(final long[] out, final long[] a, final long[] b) {
        out[0] = a[0] + b[0];
        out[1] = a[1] + b[1];
        out[2] = a[2] + b[2];
        out[3] = a[3] + b[3];
        out[4] = a[4] + b[4];
    }

    /** out = a - b + 2p, no carry. */
    static void sub(final long[] out, final long[] a, final long[] b) {
        out[0] = a[0] + TWO_P0 - b[0];
        out[1] = a[1] + TWO_P1234 - b[1];
        out[2] = a[2] + TWO_P1234 - b[2];
        out[3] = a[3] + TWO_P1234 - b[3];
        out[4] = a[4] + TWO_P1234 - b[4];
    }

    /** out = a * b. */
    static void mul(final long[] out, final long[] a, final long[] b) {
        // Left factors are shifted up 9 bits and right factors 4, 13 in all: the upper half of each 128-bit product
        // is then the product's bits 51 and up, and the lower half shifted down 13 its bits 0-50, so a column splits
        // into (low parts, five below 2^51) + 2^51 (high parts, five below 2^59.3) with no per-product masking.
        final long a0 = a[0] << 9;
        final long a1 = a[1] << 9;
        final long a2 = a[2] << 9;
        final long a3 = a[3] << 9;
        final long a4 = a[4] << 9;
        final long b0 = b[0] << 4;
        final long b1 = b[1] << 4;
        final long b2 = b[2] << 4;
        final long b3 = b[3] << 4;
        final long b4 = b[4] << 4;
        // 2^255 = 19 (mod p): a product landing at limb 5 + i is 19 times one at limb i.
        final long b1x = 19 * b1;
        final long b2x = 19 * b2;
        final long b3x = 19 * b3;
        final long b4x = 19 * b4;
        long l0 = (a0 * b0) >>> 13;
        long h0 = Math.multiplyHigh(a0, b0);
        l0 += (a1 * b4x) >>> 13;
        h0 += Math.multiplyHigh(a1, b4x);
        l0 += (a2 * b3x) >>> 13;
        h0 += Math.multiplyHigh(a2, b3x);
        l0 += (a3 * b2x) >>> 13;
        h0 += Math.multiplyHigh(a3, b2x);
        l0 += (a4 * b1x) >>> 13;
        h0 += Math.multiplyHigh(a4, b1x);
        long l1 = (a0 * b1) >>> 13;
        long h1 = Math.multiplyHigh(a0, b1);
        l1 += (a1 * b0) >>> 13;
        h1 += Math.multiplyHigh(a1, b0);
        l1 += (a2 * b4x) >>> 13;
        h1 += Math.multiplyHigh(a2, b4x);
        l1 += (a3 * b3x) >>> 13;
        h1 += Math.multiplyHigh(a3, b3x);
        l1 += (a4 * b2x) >>> 13;
        h1 += Math.multiplyHigh(a4, b2x);
        long l2 = (a0 * b2) >>> 13;
        long h2 = Math.multiplyHigh(a0, b2);
        l2 += (a1 * b1) >>> 13;
        h2 += Math.multiplyHigh(a1, b1);
        l2 += (a2 * b0) >>> 13;
        h2 += Math.multiplyHigh(a2, b0);
        l2 += (a3 * b4x) >>> 13;
        h2 += Math.multiplyHigh(a3, b4x);
        l2 += (a4 * b3x) >>> 13;
        h2 += Math.multiplyHigh(a4, b3x);
        long l3 = (a0 * b3) >>> 13;
        long h3 = Math.multiplyHigh(a0, b3);
        l3 += (a1 * b2) >>> 13;
        h3 += Math.multiplyHigh(a1, b2);
        l3 += (a2 * b1) >>> 13;
        h3 += Math.multiplyHigh(a2, b1);
        l3 += (a3 * b0) >>> 13;
        h3 += Math.multiplyHigh(a3, b0);
        l3 += (a4 * b4x) >>> 13;
        h3 += Math.multiplyHigh(a4, b4x);
        long l4 = (a0 * b4) >>> 13;
        long h4 = Math.multiplyHigh(a0, b4);
        l4 += (a1 * b3) >>> 13;
        h4 += Math.multiplyHigh(a1, b3);
        l4 += (a2 * b2) >>> 13;
        h4 += Math.multiplyHigh(a2, b2);
        l4 += (a3 * b1) >>> 13;
        h4 += Math.multiplyHigh(a3, b1);
        l4 += (a4 * b0) >>> 13;
        h4 += Math.multiplyHigh(a4, b0);
        combine(out, l0, l1, l2, l3, l4, h0, h1, h2, h3, h4);
    }

    /** out = a * a: 15 products instead of 25 (same column split as {@link #mul}). */
    static void sqr(final long[] out, final long[] a) {
        final long a0 = a[0] << 9;
        final long a1 = a[1] << 9;
        final long a2 = a[2] << 9;
        final long a3 = a[3] << 9;
        final long a4 = a[4] << 9;
        final long r0 = a[0] << 4;
        final long r1 = a[1] << 4;
        final long r2 = a[2] << 4;
        final long r1d = 2 * r1;
        final long r2d = 2 * r2;
        final long r3d = a[3] << 5;
        final long r4d = a[4] << 5;
        final long r3x19 = 19 * (a[3] << 4);
        final long r4x19 = 19 * (a[4] << 4);
        final long r3x38 = 2 * r3x19;
        final long r4x38 = 2 * r4x19;
        long l0 = (a0 * r0) >>> 13;
        long h0 = Math.multiplyHigh(a0, r0);
        l0 += (a1 * r4x38) >>> 13;
        h0 += Math.multiplyHigh(a1, r4x38);
        l0 += (a2 * r3x38) >>> 13;
        h0 += Math.multiplyHigh(a2, r3x38);
        long l1 = (a0 * r1d) >>> 13;
        long h1 = Math.multiplyHigh(a0, r1d);
        l1 += (a2 * r4x38) >>> 13;
        h1 += Math.multiplyHigh(a2, r4x38);
        l1 += (a3 * r3x19) >>> 13;
        h1 += Math.multiplyHigh(a3, r3x19);
        long l2 = (a0 * r2d) >>> 13;
        long h2 = Math.multiplyHigh(a0, r2d);
        l2 += (a1 * r1) >>> 13;
        h2 += Math.multiplyHigh(a1, r1);
        l2 += (a3 * r4x38) >>> 13;
        h2 += Math.multiplyHigh(a3, r4x38);
        long l3 = (a0 * r3d) >>> 13;
        long h3 = Math.multiplyHigh(a0, r3d);
        l3 += (a1 * r2d) >>> 13;
        h3 += Math.multiplyHigh(a1, r2d);
        l3 += (a4 * r4x19) >>> 13;
        h3 += Math.multiplyHigh(a4, r4x19);
        long l4 = (a0 * r4d) >>> 13;
        long h4 = Math.multiplyHigh(a0, r4d);
        l4 += (a1 * r3d) >>> 13;
        h4 += Math.multiplyHigh(a1, r3d);
        l4 += (a2 * r2) >>> 13;
        h4 += Math.multiplyHigh(a2, r2);
        combine(out, l0, l1, l2, l3, l4, h0, h1, h2, h3, h4);
    }

    /** out = a * 121665 (the curve constant a24 of RFC 7748); a's limbs below 2^53.5. */
    static void mul121665(final long[] out, final long[] a) {
        final long c = 121_665;
        long lo = a[0] * c;
        final long l0 = lo & MASK51;
        final long h0 = high(a[0], c, lo);
        lo = a[1] * c;
        final long l1 = lo & MASK51;
        final long h1 = high(a[1], c, lo);
        lo = a[2] * c;
        final long l2 = lo & MASK51;
        final long h2 = high(a[2], c, lo);
        lo = a[3] * c;
        final long l3 = lo & MASK51;
        final long h3 = high(a[3], c, lo);
        lo = a[4] * c;
        final long l4 = lo & MASK51;
        final long h4 = high(a[4], c, lo);
        combine(out, l0, l1, l2, l3, l4, h0, h1, h2, h3, h4);
    }

    /** Bits 51..114 of the 128-bit product whose low 64 bits are {@code lo}. */
    private static long high(final long x, final long y, final long lo) {
        return (Math.multiplyHigh(x, y) << 13) | (lo >>> 51);
    }

    /**
     * Column i holds {@code l_i + h_i * 2^51}; adds each high part into the next column (the fifth wraps around
     * times 19, split so that 19 times it cannot overflow), then carries every limb into the next at once rather
     * than in a chain: the five carries are independent, and the result's limbs are below 2^51 + 2^17 all the same.
     */
    private static void combine(final long[] out, final long l0, final long l1, final long l2, final long l3,
                                final long l4, final long h0, final long h1, final long h2, final long h3,
                                final long h4) {
        final long t0 = l0 + 19 * (h4 & MASK51);
        final long t1 = l1 + h0 + 19 * (h4 >>> 51);
        final long t2 = l2 + h1;
        final long t3 = l3 + h2;
        final long t4 = l4 + h3;
        out[0] = (t0 & MASK51) + 19 * (t4 >>> 51);
        out[1] = (t1 & MASK51) + (t0 >>> 51);
        out[2] = (t2 & MASK51) + (t1 >>> 51);
        out[3] = (t3 & MASK51) + (t2 >>> 51);
        out[4] = (t4 & MASK51) + (t3 >>> 51);
    }

    /** Swaps a and b when {@code swap} is 1, leaves them when it is 0, with the same instructions either way. */
    static void cswap(final long[] a, final long[] b, final long swap) {
        final long mask = -swap;
        for (int i = 0; i < LIMBS; i++) {
            final long t = mask & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }

    /** out = 1 / z = z^(p-2) (Fermat), by the usual chain of 254 squarings and 11 multiplications. */
    static void invert(final long[] out, final long[] z) {
        final long[] z2 = new long[LIMBS];
        final long[] z9 = new long[LIMBS];
        final long[] z11 = new long[LIMBS];
        final long[] t = new long[LIMBS];
        final long[] u = new long[LIMBS];
        sqr(z2, z);                 // 2
        sqrN(t, z2, 2);             // 8
        mul(z9, t, z);              // 9
        mul(z11, z9, z2);           // 11
        sqr(t, z11);                // 22
        mul(t, t, z9);              // 2^5 - 1
        sqrN(u, t, 5);
        mul(u, u, t);               // 2^10 - 1
        sqrN(t, u, 10);
        mul(t, t, u);               // 2^20 - 1
        final long[] v = new long[LIMBS];
        sqrN(v, t, 20);
        mul(v, v, t);               // 2^40 - 1
        sqrN(v, v, 10);
        mul(u, v, u);               // 2^50 - 1
        sqrN(t, u, 50);
        mul(t, t, u);               // 2^100 - 1
        sqrN(v, t, 100);
        mul(v, v, t);               // 2^200 - 1
        sqrN(v, v, 50);
        mul(v, v, u);               // 2^250 - 1
        sqrN(v, v, 5);              // 2^255 - 2^5
        mul(out, v, z11);           // 2^255 - 21 = p - 2
    }

    private static void sqrN(final long[] out, final long[] a, final int n) {
        sqr(out, a);
        for (int i = 1; i < n; i++) {
            sqr(out, out);
        }
    }

    /** Reads 32 little-endian bytes, ignoring the top bit (RFC 7748 section 5); values up to 2^255 - 1 are kept. */
    static void decode(final long[] out, final byte[] in, final int off) {
        final long w0 = le64(in, off);
        final long w1 = le64(in, off + 8);
        final long w2 = le64(in, off + 16);
        final long w3 = le64(in, off + 24);
        out[0] = w0 & MASK51;
        out[1] = ((w0 >>> 51) | (w1 << 13)) & MASK51;
        out[2] = ((w1 >>> 38) | (w2 << 26)) & MASK51;
        out[3] = ((w2 >>> 25) | (w3 << 39)) & MASK51;
        out[4] = (w3 >>> 12) & MASK51;
    }

    /** Writes the canonical value (fully reduced below p) as 32 little-endian bytes. */
    static void encode(final byte[] out, final int off, final long[] a) {
        long t0 = a[0];
        long t1 = a[1];
        long t2 = a[2];
        long t3 = a[3];
        long t4 = a[4];
        // Carry twice: limbs below 2^51, value below 2^255 + 2^13.
        for (int round = 0; round < 2; round++) {
            t1 += t0 >>> 51;
            t0 &= MASK51;
            t2 += t1 >>> 51;
            t1 &= MASK51;
            t3 += t2 >>> 51;
            t2 &= MASK51;
            t4 += t3 >>> 51;
            t3 &= MASK51;
            t0 += 19 * (t4 >>> 51);
            t4 &= MASK51;
        }
        // q = 1 exactly when the value is >= p, i.e. when value + 19 reaches 2^255.
        long q = (t0 + 19) >>> 51;
        q = (t1 + q) >>> 51;
        q = (t2 + q) >>> 51;
        q = (t3 + q) >>> 51;
        q = (t4 + q) >>> 51;
        // value - q*p = value + 19q - q*2^255: add 19q, carry, drop bit 255.
        t0 += 19 * q;
        t1 += t0 >>> 51;
        t0 &= MASK51;
        t2 += t1 >>> 51;
        t1 &= MASK51;
        t3 += t2 >>> 51;
        t2 &= MASK51;
        t4 += t3 >>> 51;
        t3 &= MASK51;
        t4 &= MASK51;
        putLe64(out, off, t0 | (t1 << 51));
        putLe64(out, off + 8, (t1 >>> 13) | (t2 << 38));
        putLe64(out, off + 16, (t2 >>> 26) | (t3 << 25));
        putLe64(out, off + 24, (t3 >>> 39) | (t4 << 12));
    }

    private static long le64(final byte[] b, final int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putLe64(final byte[] b, final int off, final long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
