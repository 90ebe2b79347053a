package io.shoal.rudp.packet;

/** Why an initiator's handshake failed. */
public enum HandshakeFailure {
    /** The peer's static key is not acceptable under the {@code PeerKeyPolicy}. */
    REJECTED_BY_POLICY,
    /** A handshake message failed authentication: wrong responder key, wrong psk, or tampering. */
    DECRYPT_FAILED,
    /** No answer within the handshake timeout. */
    TIMED_OUT,
    /**
     * The responder refused the proposed cipher ({@link CipherRefusal}) and this side may propose nothing it lists:
     * the cipher suite was chosen explicitly (no fallback), or a fallback was refused too. Fails at once.
     */
    CIPHER_REFUSED,
    /**
     * The responder refused this side's fallback because it accepts the cipher an earlier refusal said it did not:
     * that refusal was forged (a downgrade attempt), and the handshake fails rather than complete with the weaker
     * choice.
     */
    DOWNGRADE_DETECTED
}
