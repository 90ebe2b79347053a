package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.session.SecureConnection.State;

/**
 * The lifecycle of one {@link SecureConnection} and how it ends ({@code PROTOCOL.md} section 6): HANDSHAKING to
 * ESTABLISHED to CLOSING to CLOSED with one {@link CloseReason}, the graceful CLOSE exchange (our CLOSE once
 * everything we sent is acknowledged, resent on {@link CloseExchange}'s timer until the peer's arrives), the
 * abortive CLOSE, and the linger that answers a repeated CLOSE. Sends its CLOSE packets through the connection's
 * {@link SealedOutput}; reports the end as {@link SessionEvent.Closed} to the connection's owner. One thread only.
 */
final class ConnectionLifecycle {
    private final SecureConnection connection;
    private final SecureConnection.Owner owner;
    private final SealedOutput output;
    private final long closeTimeoutNs;
    private final CloseExchange closing = new CloseExchange();
    private State state = State.HANDSHAKING;
    private KcpEngine engine;
    private CloseReason closeReason;
    private String peerCloseText;
    private long lingerUntilNs = Deadlines.NONE;

    ConnectionLifecycle(final SecureConnection connection, final SecureConnection.Owner owner,
                        final SealedOutput output, final long closeTimeoutNs) {
        this.connection = connection;
        this.owner = owner;
        this.output = output;
        this.closeTimeoutNs = closeTimeoutNs;
    }

    State state() {
        return state;
    }

    /** @return why the connection closed, or null while open */
    CloseReason closeReason() {
        return closeReason;
    }

    /** @return the reason text the peer put in its CLOSE, or null */
    String peerCloseText() {
        return peerCloseText;
    }

    /** The handshake completed; the close waits for {@code engine} to have everything acknowledged. */
    void established(final KcpEngine engine) {
        this.engine = engine;
        state = State.ESTABLISHED;
    }

    /** @return whether the connection sends DATA now (ESTABLISHED or CLOSING) */
    boolean sendsData() {
        return state == State.ESTABLISHED || state == State.CLOSING;
    }

    /** The application's graceful close, with {@code text} (may be null) for the peer. */
    void close(final long nowNs, final String text) {
        if (state == State.HANDSHAKING) {
            end(nowNs, CloseReason.LOCAL_CLOSE);
        } else if (state == State.ESTABLISHED) {
            state = State.CLOSING;
            closing.startLocally(text);
            closing.arm(nowNs, closeTimeoutNs);
            maybeSendClose(nowNs);
        }
    }

    /** The application's abortive close: one abortive CLOSE when keyed, then the end. */
    void abort(final long nowNs, final String text) {
        if (state == State.ESTABLISHED || state == State.CLOSING) {
            output.sendClose(ClosePayload.ABORT, text, connection.remoteAddress());
        }
        if (state != State.CLOSED) {
            end(nowNs, CloseReason.LOCAL_ABORT);
        }
    }

    /** A CLOSE from the peer (plaintext borrowed); returns null when used, else why it was dropped. */
    DropReason handleClose(final long nowNs, final ByteBuf plaintext) {
        final int kind = ClosePayload.kind(plaintext);
        if (kind < 0) {
            return DropReason.MALFORMED;
        }
        if (peerCloseText == null) {
            peerCloseText = ClosePayload.reason(plaintext);
        }
        if (kind == ClosePayload.ABORT) {
            end(nowNs, CloseReason.PEER_ABORT);
            return null;
        }
        if (state == State.CLOSED) {
            if (closing.sent() && closeReason != CloseReason.LOCAL_ABORT) {
                // our CLOSE was lost: answer the repeat
                output.sendClose(ClosePayload.GRACEFUL, closing.localText(), connection.remoteAddress());
            }
            return null;
        }
        closing.onPeerClose();
        if (state == State.ESTABLISHED) {
            state = State.CLOSING;
            closing.arm(nowNs, closeTimeoutNs);
        }
        maybeSendClose(nowNs);
        return null;
    }

    /** Sends our CLOSE once everything we sent is acknowledged; ends when both CLOSEs are exchanged. */
    void maybeSendClose(final long nowNs) {
        if (state != State.CLOSING) {
            return;
        }
        if (closing.expired(nowNs)) {
            output.sendClose(ClosePayload.ABORT, "close timed out", connection.remoteAddress());
            end(nowNs, CloseReason.CLOSE_TIMEOUT);
            return;
        }
        if (closing.due(nowNs, engine.waitSendSegments() == 0)) {
            output.sendClose(ClosePayload.GRACEFUL, closing.localText(), connection.remoteAddress());
            closing.onSent(nowNs, engine.stats().rtoMs() * 1_000_000L);
        }
        if (closing.complete()) {
            closeWith(nowNs, closing.reason(), SecureConnection.LINGER_NS);
        }
    }

    /** Ends the connection now for {@code reason}, without linger; nothing when already closed. */
    void end(final long nowNs, final CloseReason reason) {
        closeWith(nowNs, reason, 0);
    }

    /** @return when our CLOSE is due again or the close times out, or {@link Deadlines#NONE} */
    long closeDeadlineNs() {
        return closing.deadlineNs();
    }

    /** @return until when a closed connection lingers, or {@link Deadlines#NONE} while open */
    long lingerUntilNs() {
        return lingerUntilNs;
    }

    /** @return whether the connection is closed and has lingered long enough */
    boolean lingered(final long nowNs) {
        return state == State.CLOSED && nowNs - lingerUntilNs >= 0;
    }

    private void closeWith(final long nowNs, final CloseReason reason, final long lingerNs) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        closing.stop();
        lingerUntilNs = nowNs + lingerNs;
        owner.event(new SessionEvent.Closed(connection, reason));
    }
}
