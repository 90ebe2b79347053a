package io.shoal.rudp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands a child channel's data to blocking threads: reads go into a queue that is bounded by asking the channel for
 * more only while fewer than {@link #MAX_QUEUED_BYTES} wait (auto-read is off, so a slow reader pushes back on the
 * peer through the engine's window); writers wait while the channel is not writable. The end of the connection is
 * an empty marker buffer in the queue.
 */
final class ChannelBridge extends ChannelInboundHandlerAdapter {
    /** Bytes read ahead of the application at most (plus one read batch). */
    static final long MAX_QUEUED_BYTES = 1 << 20;
    private static final ByteBuf END = Unpooled.EMPTY_BUFFER;

    private final LinkedBlockingQueue<ByteBuf> inbound = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Object writability = new Object();
    private volatile Channel channel;
    private volatile boolean readWanted;
    private volatile boolean ended;

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().config().setAutoRead(false);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final ByteBuf b = (ByteBuf) msg;
        if (!b.isReadable() || ended) {
            b.release();
            return;
        }
        queuedBytes.addAndGet(b.readableBytes());
        inbound.add(b);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        if (queuedBytes.get() < MAX_QUEUED_BYTES) {
            ctx.read();
        } else {
            readWanted = true;
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        ended = true;
        inbound.add(END);
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelInactive();
    }

    /**
     * @param timeoutMs 0 waits forever
     * @return the next buffer (the caller releases it), or null at the end of the connection
     */
    ByteBuf take(final int timeoutMs) throws IOException {
        final ByteBuf b;
        try {
            b = timeoutMs == 0 ? inbound.take() : inbound.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (b == null) {
            throw new SocketTimeoutException("read timed out after " + timeoutMs + " ms");
        }
        if (b == END) {
            inbound.add(END); // every later read sees the end too
            return null;
        }
        if (queuedBytes.addAndGet(-b.readableBytes()) < MAX_QUEUED_BYTES && readWanted) {
            readWanted = false;
            channel.read();
        }
        return b;
    }

    /** Blocks until the channel is writable (or closed); {@code timeoutMs} 0 waits forever. */
    void awaitWritable(final int timeoutMs) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (writability) {
            while (!channel.isWritable() && channel.isActive()) {
                final long leftMs = timeoutMs == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (timeoutMs != 0 && leftMs <= 0) {
                    throw new SocketTimeoutException("write timed out after " + timeoutMs + " ms");
                }
                try {
                    writability.wait(timeoutMs == 0 ? 100 : Math.min(leftMs, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing");
                }
            }
        }
    }

    /** Releases whatever the application did not read; runs on the event loop, where reads are queued. */
    void drain() {
        ended = true;
        ByteBuf b;
        while ((b = inbound.poll()) != null) {
            b.release();
        }
        inbound.add(END);
    }
}
