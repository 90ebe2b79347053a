package io.shoal.rudp.crypto;

import java.util.Arrays;

/**
 * The Noise {@code CipherState} (spec section 5.1): a key {@code k} (or none) and a 64-bit counter nonce {@code n}.
 * The cipher function is chosen at construction ({@link NoiseCipher}). Without a key, encryption and decryption pass
 * data through unchanged, as the spec requires during the first handshake messages. The nonce value 2^64-1 is reserved (section 5.1): reaching it raises a {@link NoiseException}
 * instead of wrapping, and {@link #rekey()} derives a fresh key with the spec's default REKEY function.
 */
public final class CipherState {
    /** The reserved nonce, 2^64-1, as a Java long. */
    static final long MAX_NONCE = -1L;

    private final NoiseCipher cipher;
    private final Aead aead;
    private final byte[] key = new byte[Aead.KEY_BYTES];
    private long nonce;

    /**
     * A keyless state for {@code cipher}. Its AEAD borrows the thread's JCA {@code Cipher} per call
     * ({@link NoiseCipher#newShortLivedAead()}): a handshake key protects one or two messages, so a {@code Cipher}
     * per key was a {@code Cipher.getInstance} per message; bulk traffic goes through {@code PacketProtection}'s own
     * per-key AEADs instead.
     */
    public CipherState(final NoiseCipher cipher) {
        this.cipher = cipher;
        this.aead = cipher.newShortLivedAead();
    }

    /** @return the cipher function */
    public NoiseCipher cipher() {
        return cipher;
    }

    /** Sets {@code k} (copied) and resets {@code n} to zero: {@code InitializeKey}. */
    public void initializeKey(final byte[] newKey) {
        System.arraycopy(newKey, 0, key, 0, Aead.KEY_BYTES);
        aead.setKey(key);
        nonce = 0;
    }

    /** @return whether a key is set: {@code HasKey} */
    public boolean hasKey() {
        return aead.hasKey();
    }

    /** @return the next nonce to be used */
    public long nonce() {
        return nonce;
    }

    /** Sets the nonce: {@code SetNonce}, for transports with explicit nonces. */
    public void setNonce(final long n) {
        nonce = n;
    }

    /**
     * {@code EncryptWithAd}: returns {@code plaintext} itself when there is no key, else a new array holding
     * ciphertext and tag.
     *
     * @throws NoiseException when the nonce has reached 2^64-1
     */
    public byte[] encryptWithAd(final byte[] ad, final byte[] plaintext) throws NoiseException {
        if (!hasKey()) {
            return plaintext;
        }
        if (nonce == MAX_NONCE) {
            throw new NoiseException("nonce exhausted");
        }
        final byte[] out = new byte[plaintext.length + Aead.TAG_BYTES];
        aead.seal(nonce, ad, 0, ad.length, plaintext, 0, plaintext.length, out, 0);
        nonce++;
        return out;
    }

    /**
     * {@code DecryptWithAd}: returns {@code ciphertext} itself when there is no key. The nonce advances only when
     * authentication succeeds (spec section 5.1).
     *
     * @throws NoiseException when authentication fails or the nonce has reached 2^64-1
     */
    public byte[] decryptWithAd(final byte[] ad, final byte[] ciphertext) throws NoiseException {
        if (!hasKey()) {
            return ciphertext;
        }
        if (nonce == MAX_NONCE) {
            throw new NoiseException("nonce exhausted");
        }
        if (ciphertext.length < Aead.TAG_BYTES) {
            throw new NoiseException("ciphertext shorter than a tag");
        }
        final byte[] out = new byte[ciphertext.length - Aead.TAG_BYTES];
        if (aead.open(nonce, ad, 0, ad.length, ciphertext, 0, ciphertext.length, out, 0) < 0) {
            throw new NoiseException("authentication failed");
        }
        nonce++;
        return out;
    }

    /** {@code Rekey}: {@code k = REKEY(k)}; the nonce is left alone (spec section 11.3). */
    public void rekey() {
        System.arraycopy(nextKey(cipher, key), 0, key, 0, Aead.KEY_BYTES);
        aead.setKey(key);
    }

    /** @return a copy of the current key, for handing a transport key to {@code PacketProtection} */
    public byte[] keyCopy() {
        if (!hasKey()) {
            throw new IllegalStateException("no key");
        }
        return key.clone();
    }

    /**
     * The default Noise REKEY function (spec section 4.2) for {@code cipher}: the first 32 bytes of encrypting 32
     * zero bytes under {@code k} with nonce 2^64-1 and empty associated data. One-way, so an old key never follows
     * from a new one. A fresh AEAD each time: the JDK's AES-GCM refuses a second encryption with the same key and
     * nonce on one instance, and this nonce is fixed.
     */
    public static byte[] nextKey(final NoiseCipher cipher, final byte[] k) {
        return rekey(cipher.newAead(), k);
    }

    /**
     * REKEY for packet keys: {@link #nextKey} with the AEAD that seals the packets ({@link NoiseCipher#newPacketAead}),
     * so each packet key feeds one primitive, as in Noise. The same as {@link #nextKey} except for
     * {@link NoiseCipher#AES_128_GCM}, whose packet keys rekey under AES-128-GCM with their first 16 bytes.
     */
    public static byte[] nextPacketKey(final NoiseCipher cipher, final byte[] k) {
        return rekey(cipher.newPacketAead(), k);
    }

    private static byte[] rekey(final Aead rekeyAead, final byte[] k) {
        rekeyAead.setKey(k);
        final byte[] zeros = new byte[Aead.KEY_BYTES];
        final byte[] out = new byte[Aead.KEY_BYTES + Aead.TAG_BYTES];
        rekeyAead.seal(MAX_NONCE, zeros, 0, 0, zeros, 0, zeros.length, out, 0);
        return Arrays.copyOf(out, Aead.KEY_BYTES);
    }
}
