package io.shoal.rudp.crypto;

/**
 * The Noise cipher functions shoal implements (spec sections 12.3 and 12.4), as they are named in a protocol name
 * and on the wire. Both take 32-byte keys and add 16-byte tags, so every handshake and packet size is the same
 * whichever runs; they differ in nonce encoding (hidden behind {@link Aead}), speed per CPU and how many packets
 * one key may protect.
 */
public enum NoiseCipher {
    /** ChaCha20-Poly1305: fast in plain software, the choice without AES instructions. */
    CHACHA20_POLY1305("ChaChaPoly", Long.MAX_VALUE),
    /**
     * AES-256-GCM: several times faster where the CPU has AES and carry-less multiply instructions. At most 2^23
     * full-size packets per key keep an attacker's advantage under 2^-57 (RFC 9001 section 6.6, the
     * confidentiality limit; QUIC's figure for the same AEAD), so packet keys rotate before that.
     */
    AES_256_GCM("AESGCM", 1L << 23);

    private static final NoiseCipher[] WIRE = values();

    private final String noiseName;
    private final long maxPacketsPerKey;

    NoiseCipher(final String noiseName, final long maxPacketsPerKey) {
        this.noiseName = noiseName;
        this.maxPacketsPerKey = maxPacketsPerKey;
    }

    /** @return the name inside a Noise protocol name, e.g. {@code AESGCM} */
    public String noiseName() {
        return noiseName;
    }

    /** @return packets one key may seal at most (the AEAD's confidentiality limit), or Long.MAX_VALUE for none */
    public long maxPacketsPerKey() {
        return maxPacketsPerKey;
    }

    /** @return the 4-bit wire id: 0 ChaChaPoly, 1 AESGCM (the high nibble of the initiation's pattern byte) */
    public int wireId() {
        return ordinal();
    }

    /** @return the cipher for a wire id, or null for an unknown one */
    public static NoiseCipher ofWireId(final int id) {
        return id >= 0 && id < WIRE.length ? WIRE[id] : null;
    }

    /** @return a new, keyless AEAD for this cipher */
    public Aead newAead() {
        return this == AES_256_GCM ? new AesGcmAead() : new ChaChaPolyAead();
    }

    /**
     * @return a new, keyless AEAD for a key that protects a message or two (a {@link CipherState}'s): for AES-GCM
     * one that borrows its thread's JCA {@code Cipher} per call rather than making one per key
     */
    Aead newShortLivedAead() {
        return this == AES_256_GCM ? AesGcmAead.sharingThreadCipher() : new ChaChaPolyAead();
    }
}
