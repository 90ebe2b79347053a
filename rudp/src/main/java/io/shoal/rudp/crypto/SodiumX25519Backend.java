package io.shoal.rudp.crypto;

import java.util.Arrays;

/**
 * The libsodium {@link X25519Backend}, through {@link Sodium}: about 60 us per variable-base multiplication on a
 * 2020s x86-64 core where {@link X25519Ladder} takes about 110 us. Use only when {@link Sodium#isAvailable()}.
 *
 * <p>The fixed base does not use {@code crypto_scalarmult_base}: on x86-64 libsodium 1.0.18 runs that as a ladder
 * (about 58 us). It multiplies the Ed25519 base point from libsodium's precomputed table instead
 * ({@code crypto_scalarmult_ed25519_base}, which clamps the scalar as X25519 does, about 30 us) and maps the Edwards
 * point to its Montgomery u = (1 + y) / (1 - y) here (RFC 7748 section 4.1's birational map, which sends the Ed25519
 * base point to u = 9 and commutes with scalar multiplication): one inversion in Java, about 8 us against 30 us for
 * the table multiplication. {@link #scalarMultBaseBatch} shares that inversion among a batch of keys (Montgomery's
 * trick: one inversion and three multiplications per key instead of one inversion per key), which is how
 * {@link EphemeralKeyPool} makes a server's ephemeral keys.
 */
final class SodiumX25519Backend implements X25519Backend {
    static final SodiumX25519Backend INSTANCE = new SodiumX25519Backend();

    private SodiumX25519Backend() {
    }

    @Override
    public String name() {
        return "libsodium " + Sodium.version();
    }

    @Override
    public boolean scalarMult(final byte[] k, final int kOff, final byte[] u, final int uOff,
                              final byte[] out, final int outOff) {
        final boolean direct = outOff == 0 && out.length == BYTES;
        final byte[] q = direct ? out : new byte[BYTES];
        if (Sodium.crypto_scalarmult(q, exact(k, kOff), exact(u, uOff)) != 0) {
            // libsodium refuses a listed small-order u before computing, leaving q as it was: write the zeros the
            // Java ladder writes, so both backends leave the same bytes behind.
            Arrays.fill(out, outOff, outOff + BYTES, (byte) 0);
            return false;
        }
        if (!direct) {
            System.arraycopy(q, 0, out, outOff, BYTES);
        }
        return true;
    }

    @Override
    public void scalarMultBase(final byte[] k, final int kOff, final byte[] out, final int outOff) {
        final byte[] edwards = new byte[BYTES];
        // Returns -1 only for an all-zero k, after writing its (valid, non-identity) clamped multiple: ignored.
        Sodium.crypto_scalarmult_ed25519_base(edwards, exact(k, kOff));
        edwardsToMontgomery(edwards, out, outOff);
    }

    @Override
    public void scalarMultBaseBatch(final byte[][] k, final byte[][] out) {
        if (k.length == 0) {
            return;
        }
        final byte[][] edwards = new byte[k.length][BYTES];
        for (int i = 0; i < k.length; i++) {
            Sodium.crypto_scalarmult_ed25519_base(edwards[i], exact(k[i], 0));
        }
        edwardsToMontgomery(edwards, out);
    }

    @Override
    public String toString() {
        return name();
    }

    /** u = (1 + y) / (1 - y) from a compressed Edwards point (y little-endian; the top bit, x's sign, ignored). */
    static void edwardsToMontgomery(final byte[] edwards, final byte[] out, final int outOff) {
        final long[] y = new long[Field25519.LIMBS];
        Field25519.decode(y, edwards, 0);
        final long[] one = {1, 0, 0, 0, 0};
        final long[] num = new long[Field25519.LIMBS];
        final long[] den = new long[Field25519.LIMBS];
        Field25519.add(num, one, y);
        Field25519.sub(den, one, y);
        // y = 1 (the identity) cannot occur: a clamped scalar is never a multiple of the base point's order.
        Field25519.invert(den, den);
        Field25519.mul(num, num, den);
        Field25519.encode(out, outOff, num);
    }

    /**
     * {@link #edwardsToMontgomery(byte[], byte[], int)} for each of {@code edwards} into {@code out} (same index)
     * with one field inversion in all: the denominators' running products are inverted once and each inverse is
     * peeled off backwards (1/d_i = (d_0 ... d_i)^-1 * (d_0 ... d_(i-1))). No denominator is zero (see above), so
     * no product is either. Constant time: the same operations whatever the points.
     */
    static void edwardsToMontgomery(final byte[][] edwards, final byte[][] out) {
        final int n = edwards.length;
        final long[] one = {1, 0, 0, 0, 0};
        final long[][] num = new long[n][Field25519.LIMBS];
        final long[][] den = new long[n][Field25519.LIMBS];
        final long[][] prefix = new long[n][Field25519.LIMBS];
        final long[] y = new long[Field25519.LIMBS];
        for (int i = 0; i < n; i++) {
            Field25519.decode(y, edwards[i], 0);
            Field25519.add(num[i], one, y);
            Field25519.sub(den[i], one, y);
            if (i == 0) {
                Field25519.mul(prefix[0], den[0], one);
            } else {
                Field25519.mul(prefix[i], prefix[i - 1], den[i]);
            }
        }
        final long[] inverse = new long[Field25519.LIMBS];
        final long[] di = new long[Field25519.LIMBS];
        Field25519.invert(inverse, prefix[n - 1]);
        for (int i = n - 1; i > 0; i--) {
            Field25519.mul(di, inverse, prefix[i - 1]);
            Field25519.mul(inverse, inverse, den[i]);
            Field25519.mul(num[i], num[i], di);
            Field25519.encode(out[i], 0, num[i]);
        }
        Field25519.mul(num[0], num[0], inverse);
        Field25519.encode(out[0], 0, num[0]);
    }

    /** @return the 32 bytes at {@code off}: the array itself when it is exactly those, else a copy */
    private static byte[] exact(final byte[] a, final int off) {
        return off == 0 && a.length == BYTES ? a : Arrays.copyOfRange(a, off, off + BYTES);
    }
}
