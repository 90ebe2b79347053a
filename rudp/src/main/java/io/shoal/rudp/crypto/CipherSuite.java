package io.shoal.rudp.crypto;

/**
 * What an endpoint proposes when it starts a secure connection. {@link #AUTO} picks AES-256-GCM when the CPU has
 * AES instructions and ChaCha20-Poly1305 otherwise, the way TLS and QUIC clients order their suites; the other two
 * name a cipher outright. The responder's side of the choice is a set of accepted {@link NoiseCipher}s.
 */
public enum CipherSuite {
    /** AES-256-GCM if {@link CpuFeatures#hasAesInstructions()}, else ChaCha20-Poly1305. */
    AUTO,
    /** Always ChaCha20-Poly1305. */
    CHACHA20_POLY1305,
    /** Always AES-256-GCM. */
    AES_256_GCM;

    /** @return the concrete cipher this choice means on this machine */
    public NoiseCipher resolve() {
        switch (this) {
            case CHACHA20_POLY1305:
                return NoiseCipher.CHACHA20_POLY1305;
            case AES_256_GCM:
                return NoiseCipher.AES_256_GCM;
            default:
                return CpuFeatures.hasAesInstructions() ? NoiseCipher.AES_256_GCM : NoiseCipher.CHACHA20_POLY1305;
        }
    }
}
