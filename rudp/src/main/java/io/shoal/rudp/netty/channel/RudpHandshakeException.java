package io.shoal.rudp.netty.channel;

import io.shoal.rudp.packet.HandshakeFailure;

/** A connection attempt failed before its handshake completed. */
public final class RudpHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient HandshakeFailure failure;

    /** @param failure how the handshake failed, or null when the connection ended for another reason */
    public RudpHandshakeException(final HandshakeFailure failure, final String message) {
        super(failure == null ? message : message + " (" + failure + ")");
        this.failure = failure;
    }

    /** @return how the handshake failed, or null */
    public HandshakeFailure failure() {
        return failure;
    }
}
