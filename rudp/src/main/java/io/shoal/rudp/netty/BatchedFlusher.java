package io.shoal.rudp.netty;

import io.netty.channel.ChannelHandlerContext;

/**
 * When a datagram socket's handler flushes what it wrote: once per batch (a read batch ending at
 * {@code channelReadComplete}, or a timer run), and, for writes outside any batch (an application task on the event
 * loop), once in a task queued behind it, so a burst of application writes leaves in one flush ({@code sendmmsg} on
 * epoll) instead of one system call each. Shared by the raw shell ({@link RawKcpHandler}) and the secure codec.
 * Event-loop confined.
 */
public final class BatchedFlusher {
    private final Runnable flushTask = this::flushTask;
    private ChannelHandlerContext ctx;
    private boolean inBatch;
    private boolean unflushed;
    private boolean flushScheduled;

    /** Flushes {@code ctx} from now on. */
    public void attach(final ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts a batch: writes wait for {@link #endBatch}. Batches nest (a timer may run inside a read batch).
     *
     * @return whether a batch was already open; pass it to {@link #endBatch}
     */
    public boolean beginBatch() {
        final boolean outer = inBatch;
        inBatch = true;
        return outer;
    }

    /** Ends the batch {@link #beginBatch} opened, flushing unless an outer batch is still open. */
    public void endBatch(final boolean outer) {
        inBatch = outer;
        if (!inBatch) {
            flushIfNeeded();
        }
    }

    /** Something was written to the channel: it is flushed when the batch ends, or in a task queued now. */
    public void wrote() {
        unflushed = true;
        if (!inBatch && !flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    /** Flushes now if anything was written since the last flush. */
    public void flushIfNeeded() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void flushTask() {
        flushScheduled = false;
        flushIfNeeded();
    }
}
