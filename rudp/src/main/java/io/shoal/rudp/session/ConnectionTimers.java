package io.shoal.rudp.session;

import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.session.SecureConnection.State;

/**
 * Every timer of one {@link SecureConnection}, run from the one deadline the endpoint's heap holds for it (quinn's
 * {@code connection/timer.rs} plays this part): the initiator's handshake retransmissions, then, established, the
 * idle timeout ({@code idleTimeoutNs} without an authenticated packet ends the connection), the FINISH resend, the
 * engine's timers, the {@link ProtectionIdleRelease} of an idle connection's ciphers, path validation retries, the
 * CLOSE exchange and the keepalive (an empty DATA packet after {@code keepaliveNs} without sending; 0 turns it off);
 * closed, the linger. The parts do the work; this class keeps the order they run in and folds their deadlines, and
 * remembers when the last authenticated packet arrived. Times in the endpoint's clock (ns); one thread only.
 */
final class ConnectionTimers {
    private final SecureConnection connection;
    private final long idleTimeoutNs;
    private final long keepaliveNs;
    private final ConnectionLifecycle life;
    private final SealedOutput output;
    /** Null for an accepted connection. */
    private final InitiatorHandshakeDriver handshake;
    /** The established connection's parts; null until the handshake completes. */
    private PacketProtection protection;
    private ConnectionStream stream;
    private ConnectionPath path;
    private long lastReceiveNs;

    ConnectionTimers(final SecureConnection connection, final RudpConfig config, final ConnectionLifecycle life,
                     final SealedOutput output, final InitiatorHandshakeDriver handshake) {
        this.connection = connection;
        this.idleTimeoutNs = config.idleTimeoutNs();
        this.keepaliveNs = config.keepaliveNs();
        this.life = life;
        this.output = output;
        this.handshake = handshake;
    }

    /** The handshake completed at {@code nowNs}: the established timers start, the idle clock from now. */
    void established(final PacketProtection protection, final ConnectionStream stream, final ConnectionPath path,
                     final long nowNs) {
        this.protection = protection;
        this.stream = stream;
        this.path = path;
        this.lastReceiveNs = nowNs;
    }

    /** An authenticated packet arrived at {@code nowNs}: the idle timeout starts over. */
    void received(final long nowNs) {
        lastReceiveNs = nowNs;
    }

    /** Runs due timers; early calls are harmless. */
    void handleTimeout(final long nowNs) {
        if (life.state() == State.HANDSHAKING) {
            if (handshake.handleTimeout(nowNs, connection.remoteAddress())) {
                life.end(nowNs, CloseReason.HANDSHAKE_FAILED);
            }
            return;
        }
        if (life.state() == State.CLOSED) {
            return;
        }
        if (nowNs - (lastReceiveNs + idleTimeoutNs) >= 0) {
            life.end(nowNs, CloseReason.IDLE_TIMEOUT);
            return;
        }
        if (handshake != null) {
            handshake.resendFinish(nowNs, connection.remoteAddress());
        }
        stream.handleTimeout(nowNs);
        if (life.state() == State.CLOSED) {
            return;
        }
        if (IdleMemoryRelease.isDue(stream.engine().isIdle(), lastReceiveNs, output.lastSendNs(), nowNs)) {
            stream.releaseIdleMemory();
            protection.releaseIdleMemory();
        }
        path.handleTimeout(nowNs);
        life.maybeSendClose(nowNs);
        if (life.state() != State.CLOSED) {
            output.maybeSendKeepalive(nowNs, keepaliveNs, connection.remoteAddress());
        }
    }

    /** @return the earliest time {@link #handleTimeout} has work */
    long nextDeadlineNs() {
        if (life.state() == State.HANDSHAKING) {
            return handshake.nextDeadlineNs();
        }
        if (life.state() == State.CLOSED) {
            return life.lingerUntilNs();
        }
        final long streamNs = stream.nextDeadlineNs();
        long d = Deadlines.earlier(streamNs, path.nextDeadlineNs());
        if (streamNs == Deadlines.NONE) { // an idle engine's buffers and the ciphers go after a quiet spell
            final boolean holds = stream.holdsIdleMemory() || protection.holdsIdleMemory();
            d = Deadlines.earlier(d, IdleMemoryRelease.deadlineNs(holds, lastReceiveNs, output.lastSendNs()));
        }
        d = Deadlines.earlier(d, lastReceiveNs + idleTimeoutNs);
        if (keepaliveNs > 0) {
            d = Deadlines.earlier(d, output.lastSendNs() + keepaliveNs);
        }
        if (handshake != null) {
            d = Deadlines.earlier(d, handshake.nextDeadlineNs());
        }
        return Deadlines.earlier(d, life.closeDeadlineNs());
    }
}
