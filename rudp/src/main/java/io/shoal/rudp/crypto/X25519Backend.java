package io.shoal.rudp.crypto;

/**
 * One implementation of the X25519 function (RFC 7748 section 5). Two exist: {@link X25519Ladder} in Java (always
 * there) and libsodium's through {@link Sodium} (about twice as fast). {@link #active()} is the one every handshake,
 * key pair and {@link StaticDhCache} entry uses, chosen once per JVM: libsodium when it loads and passes an RFC 7748
 * known-answer check, unless {@code -Dshoal.crypto.native=false}; otherwise Java, with one debug-level log line.
 *
 * <p>Both give the same bytes for every input: the scalar is clamped on a copy (the caller's array is unchanged),
 * the top bit of u is ignored, non-canonical u (p to 2^255 - 1) is reduced, and an all-zero result (u of small
 * order) is written as 32 zero bytes and reported as {@code false}. Implementations are stateless and thread-safe:
 * the handshake workers call them concurrently.
 */
public sealed interface X25519Backend permits JavaX25519Backend, SodiumX25519Backend {
    /** Scalar, u-coordinate and result length in bytes. */
    int BYTES = 32;

    /** @return a short name for logs and benchmark output: {@code java} or {@code libsodium 1.0.18} */
    String name();

    /**
     * X25519(k, u) into {@code out[outOff, outOff+32)}.
     *
     * @return false when the result is all zeros (u was of small order): callers must then refuse it
     */
    boolean scalarMult(byte[] k, int kOff, byte[] u, int uOff, byte[] out, int outOff);

    /** X25519(k, 9), the public key of private key k, into {@code out[outOff, outOff+32)}. */
    void scalarMultBase(byte[] k, int kOff, byte[] out, int outOff);

    /**
     * X25519(k[i], 9) into {@code out[i]} for every i: the public keys of several 32-byte private keys at once, the
     * same bytes {@link #scalarMultBase} gives for each. A backend whose fixed-base path ends in a field inversion
     * may share one inversion among all of them (Montgomery's trick); by default each key is done alone.
     */
    default void scalarMultBaseBatch(final byte[][] k, final byte[][] out) {
        for (int i = 0; i < k.length; i++) {
            scalarMultBase(k[i], 0, out[i], 0);
        }
    }

    /** @return the backend this JVM uses, chosen on first call */
    static X25519Backend active() {
        return X25519BackendChoice.ACTIVE;
    }

    /** @return the pure-Java backend, whichever is active (for tests and benchmarks) */
    static X25519Backend java() {
        return JavaX25519Backend.INSTANCE;
    }

    /**
     * @return the libsodium backend when {@link Sodium#isAvailable()}, else null (for tests and benchmarks; it is
     * returned even when it failed the known-answer check, so a test can show how)
     */
    static X25519Backend sodium() {
        return Sodium.isAvailable() ? SodiumX25519Backend.INSTANCE : null;
    }

    /** @return why {@link #active()} is not libsodium (one line), or null when it is */
    static String nativeUnavailableReason() {
        return X25519BackendChoice.NATIVE_REASON;
    }
}
