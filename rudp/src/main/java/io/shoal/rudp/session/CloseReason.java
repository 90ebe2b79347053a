package io.shoal.rudp.session;

/** Why a {@link SecureConnection} closed; every connection ends with exactly one, reported in its CLOSED event. */
public enum CloseReason {
    /** This side closed gracefully: both directions were flushed, then CLOSE was exchanged. */
    LOCAL_CLOSE,
    /** The peer closed gracefully: both directions were flushed, then CLOSE was exchanged. */
    PEER_CLOSE,
    /** This side aborted: queued data was dropped and one CLOSE sent. */
    LOCAL_ABORT,
    /** The peer aborted (an authenticated abortive CLOSE arrived). */
    PEER_ABORT,
    /**
     * A graceful close did not finish within {@link RudpConfig#closeTimeoutNs()} (the peer did not take our data or
     * did not answer our CLOSE); the connection then aborted, and the peer got an abortive CLOSE.
     */
    CLOSE_TIMEOUT,
    /** No authenticated packet arrived for the idle timeout. */
    IDLE_TIMEOUT,
    /** A segment went unacknowledged for KCP's dead-link count of transmissions: the peer is gone. */
    PEER_DEAD,
    /** The handshake failed; {@link SecureConnection#handshakeFailure()} says how. */
    HANDSHAKE_FAILED,
    /** The packet-number space ran out; a new connection is needed. */
    PACKET_NUMBERS_EXHAUSTED,
    /** The endpoint was shut down with the connection still open. */
    ENDPOINT_CLOSED
}
