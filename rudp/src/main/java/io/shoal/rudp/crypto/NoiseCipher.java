package io.shoal.rudp.crypto;

/**
 * The ciphers shoal negotiates, as they are named in a protocol name and on the wire: each is a Noise cipher function
 * (spec sections 12.3 and 12.4) for the handshake and REKEY, and an AEAD for the packets after it ({@link
 * #newPacketAead()}). All take 32-byte keys and add 16-byte tags, so every handshake and packet size is the same
 * whichever runs; they differ in nonce encoding (hidden behind {@link Aead}), speed per CPU and how many packets one
 * key may protect.
 */
public enum NoiseCipher {
    /** ChaCha20-Poly1305: fast in plain software, the choice without AES instructions. */
    CHACHA20_POLY1305("ChaChaPoly", "ChaCha20-Poly1305", Long.MAX_VALUE),
    /**
     * AES-256-GCM: several times faster where the CPU has AES and carry-less multiply instructions. At most 2^23
     * full-size packets per key keep an attacker's advantage under 2^-57 (RFC 9001 section 6.6, the
     * confidentiality limit; QUIC's figure for the same AEAD), so packet keys rotate before that.
     */
    AES_256_GCM("AESGCM", "AES-256-GCM", 1L << 23),
    /**
     * Noise's AESGCM (AES-256-GCM) for the handshake, and AES-128-GCM for packets and their key updates, keyed by the
     * first 16 bytes of each 32-byte packet key (Split's output or the previous key's REKEY, uniformly random, so
     * the half is a uniformly random 128-bit key; the other half goes unused). The suite TLS 1.3 and QUIC clients
     * offer first: 128-bit keys match X25519's 128-bit security level, and are NIST's post-quantum category 1
     * against Grover's search. About 19% cheaper per 1,400-byte packet than AES-256 in the JDK (10 rounds instead
     * of 14). Same confidentiality limit (RFC 9001 section 6.6).
     */
    AES_128_GCM("AESGCM", "AES-128-GCM", 1L << 23);

    private static final NoiseCipher[] WIRE = values();

    private final String noiseName;
    private final String packetCipherName;
    private final long maxPacketsPerKey;

    NoiseCipher(final String noiseName, final String packetCipherName, final long maxPacketsPerKey) {
        this.noiseName = noiseName;
        this.packetCipherName = packetCipherName;
        this.maxPacketsPerKey = maxPacketsPerKey;
    }

    /** @return the name inside a Noise protocol name, e.g. {@code AESGCM} */
    public String noiseName() {
        return noiseName;
    }

    /**
     * @return the AEAD that seals this suite's packets, as people name it (e.g. {@code AES-128-GCM}): what a log or
     *     a CLI shows, since two suites share the Noise name {@code AESGCM}
     */
    public String packetCipherName() {
        return packetCipherName;
    }

    /** @return packets one key may seal at most (the AEAD's confidentiality limit), or Long.MAX_VALUE for none */
    public long maxPacketsPerKey() {
        return maxPacketsPerKey;
    }

    /**
     * @return the wire id in bits 4-6 of the initiation's suite byte: 0 ChaChaPoly, 1 AESGCM, 2 AESGCM with
     *     AES-128-GCM packets
     */
    public int wireId() {
        return ordinal();
    }

    /** @return the cipher for a wire id, or null for an unknown one */
    public static NoiseCipher ofWireId(final int id) {
        return id >= 0 && id < WIRE.length ? WIRE[id] : null;
    }

    /** @return a new, keyless AEAD for this Noise cipher function (REKEY's; AES-256-GCM for both AESGCM suites) */
    public Aead newAead() {
        return this == CHACHA20_POLY1305 ? new ChaChaPolyAead() : new AesGcmAead();
    }

    /** @return a new, keyless AEAD for the packets of a connection under this suite */
    public Aead newPacketAead() {
        return this == AES_128_GCM ? AesGcmAead.aes128() : newAead();
    }

    /**
     * @return a new, keyless AEAD for a key that protects a message or two (a {@link CipherState}'s): for AES-GCM
     * one that borrows its thread's JCA {@code Cipher} per call rather than making one per key
     */
    Aead newShortLivedAead() {
        return this == CHACHA20_POLY1305 ? new ChaChaPolyAead() : AesGcmAead.sharingThreadCipher();
    }
}
