package io.shoal.rudp.packet;

/** Why an initiator's handshake failed. */
public enum HandshakeFailure {
    /** The peer's static key is not acceptable under the {@code PeerKeyPolicy}. */
    REJECTED_BY_POLICY,
    /** A handshake message failed authentication: wrong responder key, wrong psk, or tampering. */
    DECRYPT_FAILED,
    /** No answer within the handshake timeout. */
    TIMED_OUT
}
