package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.shoal.rudp.kcp.KcpStats;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One raw-profile KCP conversation, as the application sees it. Every method is thread-safe; calls made on the
 * connection's {@link #executor()} (for example from a {@link RawKcpListener} callback) act at once, calls from other
 * threads hop onto it. The engine underneath is only ever touched on that event loop.
 *
 * <p>Backpressure: {@link #send} never drops data it accepted; what the engine cannot take yet waits in the shell,
 * and {@link #isWritable()} turns false while the engine's send queue is full or that backlog exceeds
 * {@link RawKcpConfig#pendingHighWaterBytes()}. {@link RawKcpListener#onWritabilityChanged} says when to resume.
 */
public final class RawKcpConnection {
    private final Conversation conversation;
    private final EventExecutor executor;
    final AtomicLong pendingBytes = new AtomicLong();
    final long pendingHighWaterBytes;
    /** The event loop's view of writability; an off-loop sender may clear it to ask for a callback. */
    volatile boolean writableFlag = true;
    private volatile boolean closed;
    private volatile KcpStats finalStats;

    RawKcpConnection(Conversation conversation, EventExecutor executor, long pendingHighWaterBytes) {
        this.conversation = conversation;
        this.executor = executor;
        this.pendingHighWaterBytes = pendingHighWaterBytes;
    }

    /** The KCP conversation id. */
    public int conv() {
        return conversation.conv;
    }

    public InetSocketAddress remoteAddress() {
        return conversation.remote;
    }

    /** The event loop that owns this connection and runs its listener. */
    public EventExecutor executor() {
        return executor;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** True while sending more will not just pile up in the shell; see the class comment. */
    public boolean isWritable() {
        if (!closed && writableFlag && pendingBytes.get() < pendingHighWaterBytes) {
            return true;
        }
        // Make the loop see a false-to-true transition, so the listener hears when to resume.
        writableFlag = false;
        return false;
    }

    /**
     * Sends application bytes: one message in message mode (at most {@code KcpConfig.maxMessageBytes()}), any
     * amount in stream mode. Takes ownership of {@code data}, which is released on every outcome. Returns false
     * (and releases) if the connection is closed.
     *
     * @throws IllegalArgumentException if a message-mode message is too large
     */
    public boolean send(ByteBuf data) {
        int bytes = data.readableBytes();
        if (!conversation.engine.config().stream() && bytes > conversation.engine.config().maxMessageBytes()) {
            data.release();
            throw new IllegalArgumentException("message of " + bytes + " bytes is larger than the maximum of "
                + conversation.engine.config().maxMessageBytes());
        }
        if (closed) {
            data.release();
            return false;
        }
        if (executor.inEventLoop()) {
            conversation.send(conversation.handler.nowNs(), data);
            return true;
        }
        pendingBytes.addAndGet(bytes);
        try {
            executor.execute(() -> conversation.sendHopped(conversation.handler.nowNs(), data, bytes));
        } catch (RejectedExecutionException e) {
            pendingBytes.addAndGet(-bytes);
            data.release();
            return false;
        }
        return true;
    }

    /**
     * A snapshot of the engine's counters. On the event loop it is immediate; from another thread it waits for the
     * loop (up to 5 s). After close it is the last snapshot taken before the engine was released.
     */
    public KcpStats stats() {
        KcpStats last = finalStats;
        if (last != null) {
            return last;
        }
        if (executor.inEventLoop()) {
            return conversation.isClosed() ? finalStats : conversation.stats();
        }
        try {
            return executor.submit(this::stats).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading stats", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            KcpStats s = finalStats;
            if (s != null) {
                return s;
            }
            throw new IllegalStateException("event loop did not answer: " + e, e);
        }
    }

    /** Closes the conversation at once (unacknowledged data is dropped); the listener hears {@code onClosed}. */
    public void close() {
        if (executor.inEventLoop()) {
            conversation.close();
            return;
        }
        try {
            executor.execute(conversation::close);
        } catch (RejectedExecutionException e) {
            // The loop is gone; the handler already released everything when the channel closed.
        }
    }

    void markClosed(KcpStats last) {
        finalStats = last;
        closed = true;
    }

    @Override
    public String toString() {
        return "RawKcpConnection{conv=" + conv() + ", remote=" + remoteAddress() + (closed ? ", closed}" : "}");
    }
}
