package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;

/**
 * One KCP conversation as a sans-IO state machine: no thread, clock or socket (STYLE.md 1.5).
 *
 * <p>Methods, in quinn-proto's four groups:
 * <ul>
 *   <li>getters: {@link #conv()}, {@link #state()}, {@link #isWritable()}, {@link #stats()};</li>
 *   <li>inputs: {@link #handleDatagram} ({@code ikcp_input}), {@link #handleTimeout} ({@code ikcp_update});</li>
 *   <li>commands: {@link #send} ({@code ikcp_send}), {@link #pollMessage}/{@link #receive} ({@code ikcp_recv}),
 *       {@link #close};</li>
 *   <li>outputs, drained in this order after every input or command: {@link #pollTransmit} until it returns 0,
 *       {@link #nextDeadlineNs()} ({@code ikcp_check}), {@link #pollEvent()} until null.</li>
 * </ul>
 * Every time-taking call gets a monotonically non-decreasing {@code nowNs}. Not thread-safe: one engine belongs to
 * one thread (an event loop).
 */
public final class KcpEngine {
    /** {@link #nextDeadlineNs()} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public KcpEngine(int conv, KcpConfig config) {
        throw new UnsupportedOperationException("engine is being written");
    }

    /** Reads the conversation id of a raw KCP datagram ({@code ikcp_getconv}); -1 if it is shorter than 4 bytes. */
    public static long readConv(ByteBuf datagram) {
        if (datagram.readableBytes() < 4) {
            return -1;
        }
        return datagram.getUnsignedIntLE(datagram.readerIndex());
    }

    public int conv() {
        throw new UnsupportedOperationException();
    }

    public KcpConfig config() {
        throw new UnsupportedOperationException();
    }

    public KcpState state() {
        throw new UnsupportedOperationException();
    }

    /** True while the send queue is below its limit (twice the send window, in segments). */
    public boolean isWritable() {
        throw new UnsupportedOperationException();
    }

    /** Segments not yet acknowledged: in flight plus queued ({@code ikcp_waitsnd}). */
    public int waitSendSegments() {
        throw new UnsupportedOperationException();
    }

    public KcpStats stats() {
        throw new UnsupportedOperationException();
    }

    /**
     * Processes one datagram of KCP segments. Borrows {@code datagram}: reads its readable bytes without moving its
     * indices or changing its reference count; the caller still owns and releases it. Never throws on bad input.
     */
    public InputResult handleDatagram(long nowNs, ByteBuf datagram) {
        throw new UnsupportedOperationException();
    }

    /** Runs whatever is due ({@code ikcp_update}): the periodic flush, retransmissions, window probes. Early calls are harmless. */
    public void handleTimeout(long nowNs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Queues application bytes. Takes ownership of {@code data}: it is released on every outcome. In message mode the
     * bytes are one message; in stream mode they are appended to the byte stream.
     */
    public SendResult send(long nowNs, ByteBuf data) {
        throw new UnsupportedOperationException();
    }

    /**
     * Size of the next message (message mode) or segment (stream mode) ready to read, or -1 when none is
     * ({@code ikcp_peeksize}).
     */
    public int peekSize() {
        throw new UnsupportedOperationException();
    }

    /**
     * The next complete message (message mode) or the next in-order segment's bytes (stream mode), or null. The
     * caller owns the returned buffer and must release it.
     */
    public ByteBuf pollMessage() {
        throw new UnsupportedOperationException();
    }

    /** Stream-mode read: copies as many in-order bytes as fit into {@code dst}; returns the count (0 when none). */
    public int receive(ByteBuf dst) {
        throw new UnsupportedOperationException();
    }

    /**
     * Writes the next outgoing datagram into {@code out} (which needs {@link KcpConfig#mtu()} writable bytes) and
     * returns its length; 0 means nothing more to send now.
     */
    public int pollTransmit(long nowNs, ByteBuf out) {
        throw new UnsupportedOperationException();
    }

    /** The absolute time at which {@link #handleTimeout} should next run, or {@link #NO_DEADLINE}. */
    public long nextDeadlineNs() {
        throw new UnsupportedOperationException();
    }

    /** The next event, or null. */
    public KcpEvent pollEvent() {
        throw new UnsupportedOperationException();
    }

    /** Releases every buffer the engine holds; later inputs return {@link InputResult#CLOSED}. Idempotent. */
    public void close() {
        throw new UnsupportedOperationException();
    }
}
