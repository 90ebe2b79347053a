package io.shoal.rudp.crypto;

/**
 * An AEAD cipher function as Noise uses it (spec section 4.2): a 32-byte key, a 64-bit counter nonce that the
 * implementation encodes the way its Noise cipher name defines, a 16-byte tag appended to the ciphertext. The
 * handshake ({@link CipherState}) and the packet layer ({@code PacketProtection}) both seal and open through this
 * seam, so every suite shares one code path; {@link NoiseCipher#newAead()} makes one.
 *
 * <p>Buffers are caller-owned arrays; implementations keep no reference to them after a call returns. The same
 * counter must never seal twice under one key: callers use strictly increasing counters (the packet number), which
 * is also what AES-GCM in the JDK enforces. One thread at a time per instance.
 */
public sealed interface Aead permits ChaChaPolyAead, AesGcmAead {
    /** Key length in bytes (both suites). */
    int KEY_BYTES = 32;
    /** Authentication tag length in bytes (both suites). */
    int TAG_BYTES = 16;

    /** Installs a 32-byte key (copied). Must be called before the first seal or open. */
    void setKey(byte[] key);

    /** @return whether a key is installed */
    boolean hasKey();

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, appending the tag. {@code in} and
     * {@code out} may be the same array at the same offset.
     *
     * @return bytes written: {@code len + TAG_BYTES}
     */
    int seal(long counter, byte[] ad, int adOff, int adLen, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Authenticates and decrypts {@code in[inOff, inOff+len)} (ciphertext plus tag) into {@code out}. On failure no
     * plaintext is released: the output region holds nothing or zeros, and -1 is returned.
     *
     * @return plaintext bytes written, or -1 if the input is shorter than a tag or fails authentication
     */
    int open(long counter, byte[] ad, int adOff, int adLen, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Seals a packet-layer payload with no associated data, under the nonce {@link #seal} would use for
     * {@code counter} but with its first byte (zero in Noise's encoding) set to {@code nonceByte}. The packet layer
     * binds its header that way instead of passing it as associated data (see {@code PacketProtection}): the same
     * authentication, and the JDK's AES-GCM buffers associated data through a stream per call (about 10% of a
     * 1,400-byte seal). A nonce with a non-zero first byte never equals a Noise nonce, so the two uses of one key
     * cannot collide.
     *
     * @return bytes written: {@code len + TAG_BYTES}
     */
    int sealPacket(int nonceByte, long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Opens what {@link #sealPacket} sealed with the same {@code nonceByte} and {@code counter}.
     *
     * @return plaintext bytes written, or -1 if the input is shorter than a tag or fails authentication
     */
    int openPacket(int nonceByte, long counter, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Drops working state that the key can rebuild (AES-GCM's JCA {@code Cipher}, about 0.9 KB); the next seal or
     * open rebuilds it. For idle connections, which then keep only their keys.
     */
    default void releaseWorkState() {
    }

    /** @return whether this instance holds working state that {@link #releaseWorkState()} would drop */
    default boolean hasWorkState() {
        return false;
    }
}
