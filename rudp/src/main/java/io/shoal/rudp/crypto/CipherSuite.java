package io.shoal.rudp.crypto;

/**
 * What an endpoint proposes when it starts a secure connection. {@link #AUTO} picks AES-128-GCM packets when the CPU
 * has AES instructions and ChaCha20-Poly1305 otherwise, the way TLS 1.3 and QUIC clients order their suites; the
 * others name a cipher outright. The responder's side of the choice is a set of accepted {@link NoiseCipher}s.
 */
public enum CipherSuite {
    /** {@link NoiseCipher#AES_128_GCM} if {@link CpuFeatures#hasAesInstructions()}, else ChaCha20-Poly1305. */
    AUTO,
    /** Always ChaCha20-Poly1305. */
    CHACHA20_POLY1305,
    /** Always AES-256-GCM, packets included. */
    AES_256_GCM,
    /** Always AES-128-GCM packets (after Noise's AESGCM handshake): {@link NoiseCipher#AES_128_GCM}. */
    AES_128_GCM;

    /** @return the concrete cipher this choice means on this machine */
    public NoiseCipher resolve() {
        switch (this) {
            case CHACHA20_POLY1305:
                return NoiseCipher.CHACHA20_POLY1305;
            case AES_256_GCM:
                return NoiseCipher.AES_256_GCM;
            case AES_128_GCM:
                return NoiseCipher.AES_128_GCM;
            default:
                return CpuFeatures.hasAesInstructions() ? NoiseCipher.AES_128_GCM : NoiseCipher.CHACHA20_POLY1305;
        }
    }
}
