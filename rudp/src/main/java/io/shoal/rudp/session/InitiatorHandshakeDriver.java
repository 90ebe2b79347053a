package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.packet.HandshakeOutcome;
import io.shoal.rudp.packet.SecureInitiator;

import java.net.InetSocketAddress;

/**
 * Drives the {@link SecureInitiator} of a connection this side started: writes its INITIATION, its retransmissions
 * and its FINISH into the connection's {@link SealedOutput} (unsealed: handshake packets carry their own
 * protection), and feeds it the RESPONSE / COOKIE_REPLY / CIPHER_REFUSAL datagrams and the timer (a refusal may
 * start a cipher fallback under a new connection id, which the initiator takes from the connection's owner). After the handshake completes it
 * keeps re-sending FINISH until the first authenticated packet from the responder {@link #confirm}s it. The
 * connection owns the lifecycle: it acts on what {@link #handleReply} and {@link #handleTimeout} report.
 * One thread only.
 */
final class InitiatorHandshakeDriver {
    /** Room for a handshake message; the buffer grows if a pattern ever needs more. */
    private static final int HANDSHAKE_BYTES = 256;
    /** Room for a re-sent FINISH after the handshake completed. */
    private static final int FINISH_BYTES = 128;

    private final SecureInitiator initiator;
    private final ByteBufAllocator alloc;
    private final SealedOutput output;

    InitiatorHandshakeDriver(final SecureInitiator initiator, final ByteBufAllocator alloc, final SealedOutput output) {
        this.initiator = initiator;
        this.alloc = alloc;
        this.output = output;
    }

    /** Queues the first handshake packet for {@code to}. */
    void start(final long nowNs, final InetSocketAddress to) {
        final ByteBuf out = alloc.heapBuffer(HANDSHAKE_BYTES);
        initiator.start(nowNs, out);
        output.addHandshake(to, out);
    }

    /** A RESPONSE, COOKIE_REPLY or CIPHER_REFUSAL (borrowed); any answer is queued for {@code to}. */
    SecureInitiator.Result handleReply(final long nowNs, final ByteBuf datagram, final InetSocketAddress to) {
        final ByteBuf out = alloc.heapBuffer(HANDSHAKE_BYTES);
        final SecureInitiator.Result r = initiator.handleDatagram(datagram, nowNs, out);
        output.addHandshake(to, out);
        return r;
    }

    /**
     * Runs the handshake's timer before it completed (retransmitting to {@code to}).
     *
     * @return whether the handshake has now failed ({@link #failure()} says why)
     */
    boolean handleTimeout(final long nowNs, final InetSocketAddress to) {
        final ByteBuf out = alloc.heapBuffer(HANDSHAKE_BYTES);
        initiator.handleTimeout(nowNs, out);
        output.addHandshake(to, out);
        return initiator.state() == SecureInitiator.State.FAILED;
    }

    /** Runs the timer after the handshake completed: re-sends FINISH to {@code to} until confirmed. */
    void resendFinish(final long nowNs, final InetSocketAddress to) {
        final ByteBuf out = alloc.heapBuffer(FINISH_BYTES);
        initiator.handleTimeout(nowNs, out);
        output.addHandshake(to, out);
    }

    /** The connection opened an authenticated packet from the responder. */
    void confirm() {
        initiator.confirm();
    }

    /** @return when the initiator's timer has work, or {@link SecureInitiator#NO_DEADLINE} */
    long nextDeadlineNs() {
        return initiator.nextDeadlineNs();
    }

    /** @return why the handshake failed, or null */
    HandshakeFailure failure() {
        return initiator.failure();
    }

    /** @return a one-line account of the failure (naming both sides' ciphers on a refusal), or null */
    String failureReason() {
        return initiator.failureReason();
    }

    /** @return the completed handshake */
    HandshakeOutcome outcome() {
        return initiator.outcome();
    }
}
