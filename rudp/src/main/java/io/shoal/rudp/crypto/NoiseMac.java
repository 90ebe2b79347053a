package io.shoal.rudp.crypto;

/**
 * HMAC-HASH as Noise's HKDF uses it (spec section 4.3): keyed once with {@link #setKey}, then used for one or more
 * messages under that key. Noise's HKDF computes two or three HMACs under one temporary key, so an implementation
 * that prepares its key pads in {@link #setKey} pays for them once instead of once per message. Exactly RFC 2104:
 * keys longer than the hash's 64-byte block are hashed first, shorter ones zero-padded. One thread at a time.
 */
sealed interface NoiseMac permits Blake2sHmac, DigestHmac {
    /** Keys the MAC with {@code key} (copied or absorbed; any length). */
    void setKey(byte[] key);

    /**
     * HMAC(key, data[0, len) || counter) into {@code out[0, 32)}, where a {@code counter} of 0 means no counter
     * byte (HKDF's first HMAC) and 1 to 255 appends that byte (its outputs).
     */
    void mac(byte[] data, int len, int counter, byte[] out);
}
