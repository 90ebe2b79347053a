package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The Noise hash functions shoal supports. Both have {@code HASHLEN} 32 and {@code BLOCKLEN} 64 (Noise spec
 * section 4.3), so every buffer in the handshake is 32 bytes whichever is chosen.
 */
public enum NoiseHash {
    /** BLAKE2s-256, the default (WireGuard's choice; fast in software). */
    BLAKE2S("BLAKE2s"),
    /** SHA-256, for environments that prefer a FIPS hash. */
    SHA256("SHA256");

    /** Output length in bytes for both functions. */
    public static final int HASH_LEN = 32;

    private final String noiseName;

    NoiseHash(final String noiseName) {
        this.noiseName = noiseName;
    }

    /** @return the name used in a Noise protocol name, e.g. {@code BLAKE2s} */
    public String noiseName() {
        return noiseName;
    }

    /** @return a fresh digest instance (not thread-safe; keep one per state object) */
    public ExtendedDigest newDigest() {
        return this == BLAKE2S ? new Blake2s256() : new SHA256Digest();
    }

    /** @return a fresh HMAC-HASH for HKDF (not thread-safe; keep one per state object) */
    NoiseMac newMac() {
        return this == BLAKE2S ? new Blake2sHmac() : new DigestHmac(newDigest());
    }
}
