package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * Writes a conversation's outgoing datagrams, joining runs of equal-sized ones (a window of full data segments)
 * into one {@code UDP_SEGMENT} write: the kernel cuts the run back into the same datagrams, so the wire is unchanged
 * but a run of up to {@value #MAX_SEGMENTS} datagrams costs one trip through the socket layer instead of one each.
 * A run may end with one shorter datagram, as {@code UDP_SEGMENT} allows. A datagram that starts no run is written
 * as it is, without a copy.
 *
 * <p>Use: {@link #add} each datagram (ownership passes here), then {@link #finish} once the conversation is drained.
 * If the kernel refuses a segmented write (a device without checksum offload answers {@code EIO}), that run is lost
 * like a dropped datagram (KCP resends it) and the writer falls back to plain datagrams for good.
 * Shared by the raw shell ({@link RawKcpHandler}) and the secure codec; the netem proxy ({@code tests-netem}) attaches
 * it to channels instead of contexts. Event-loop confined.
 */
public final class SegmentedDatagramWriter {
    /** The kernel's {@code UDP_MAX_SEGMENTS} on older kernels. */
    static final int MAX_SEGMENTS = 64;
    /** Below the largest UDP payload over IPv4 (65,507 bytes), so a run always fits one IP packet. */
    static final int MAX_RUN_BYTES = 65_000;
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(SegmentedDatagramWriter.class);

    private final ChannelFutureListener onSegmentedWrite = this::segmentedWriteDone;
    private ChannelOutboundInvoker out;
    private ByteBufAllocator alloc;
    /** Written on the event loop only; volatile so other threads may read the counters. */
    private volatile boolean enabled;
    private volatile long segmentedWrites;
    private volatile long refusedWrites;

    /** The run being built: its first datagram alone, or a buffer with the copies once a second one joins. */
    private ByteBuf first;
    private ByteBuf run;
    private InetSocketAddress remote;
    private int segmentBytes;
    private int segments;
    private boolean closedByShortSegment;

    /** Starts writing on {@code ctx}; segmented writes only when {@code enabled} (see {@link #supported}). */
    public void attach(ChannelHandlerContext ctx, boolean enabled) {
        attach(ctx, ctx.alloc(), enabled);
    }

    /** Starts writing straight to {@code channel}; segmented writes only when {@code enabled}. */
    public void attach(Channel channel, boolean enabled) {
        attach(channel, channel.alloc(), enabled);
    }

    private void attach(ChannelOutboundInvoker out, ByteBufAllocator alloc, boolean enabled) {
        this.out = out;
        this.alloc = alloc;
        this.enabled = enabled;
    }

    /** Whether {@code channel} can take {@code UDP_SEGMENT} writes: epoll, on a kernel that has them. */
    public static boolean supported(Channel channel) {
        return channel instanceof EpollDatagramChannel && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** True while runs of datagrams leave as one {@code UDP_SEGMENT} write. */
    public boolean enabled() {
        return enabled;
    }

    /** Segmented writes handed to the channel so far. */
    public long segmentedWrites() {
        return segmentedWrites;
    }

    /** Takes ownership of {@code datagram} and writes it, now or with the run it joins. */
    public void add(ByteBuf datagram, InetSocketAddress to) {
        if (!enabled) {
            out.write(new DatagramPacket(datagram, to), out.voidPromise());
            return;
        }
        int size = datagram.readableBytes();
        if (first != null && !joins(size, to)) {
            finish();
        }
        if (first == null) {
            first = datagram;
            remote = to;
            segmentBytes = size;
            segments = 1;
            return;
        }
        startRunBuffer();
        run.writeBytes(datagram, datagram.readerIndex(), size);
        datagram.release();
        segments++;
        closedByShortSegment = size < segmentBytes;
    }

    /**
     * Writes a datagram of exactly {@code size} bytes for {@code to} that {@code producer} appends in place (it
     * returns false, having appended nothing, to send nothing): into the run's buffer when the datagram joins the run
     * being built, so it needs no buffer of its own and no copy (the secure codec seals straight into it); else into
     * a new buffer of its own, as {@link #add} would take it.
     *
     * @return whether a datagram was written
     * @throws IllegalStateException if {@code producer} appended some other number of bytes (a caller bug: the run's
     *     datagram boundaries would be wrong); nothing of it is sent
     */
    public boolean addInPlace(int size, InetSocketAddress to, Predicate<ByteBuf> producer) {
        if (enabled && first != null && joins(size, to)) {
            startRunBuffer();
            run.ensureWritable(size);
            if (!appended(run, size, producer)) {
                return false;
            }
            segments++;
            closedByShortSegment = size < segmentBytes;
            return true;
        }
        ByteBuf datagram = alloc.directBuffer(size);
        boolean wrote = false;
        try {
            wrote = appended(datagram, size, producer);
        } finally {
            if (!wrote) {
                datagram.release();
            }
        }
        if (wrote) {
            add(datagram, to);
        }
        return wrote;
    }

    /** Runs {@code producer} on {@code buf}; whatever it appended is taken back unless it was exactly {@code size}. */
    private static boolean appended(ByteBuf buf, int size, Predicate<ByteBuf> producer) {
        int start = buf.writerIndex();
        boolean wrote;
        try {
            wrote = producer.test(buf);
        } catch (RuntimeException e) {
            buf.writerIndex(start);
            throw e;
        }
        int written = buf.writerIndex() - start;
        if (wrote && written == size) {
            return true;
        }
        buf.writerIndex(start);
        if (wrote || written != 0) {
            throw new IllegalStateException("producer appended " + written + " bytes, not " + size);
        }
        return false;
    }

    /** Once a second datagram joins: the run's buffer, holding a copy of the first. */
    private void startRunBuffer() {
        if (run == null) {
            run = alloc.directBuffer(Math.min(MAX_RUN_BYTES, segmentBytes * MAX_SEGMENTS));
            run.writeBytes(first, first.readerIndex(), first.readableBytes());
        }
    }

    private boolean joins(int size, InetSocketAddress to) {
        return !closedByShortSegment && size <= segmentBytes && segments < MAX_SEGMENTS
            && (long) segmentBytes * (segments + 1) <= MAX_RUN_BYTES && to.equals(remote);
    }

    /** Writes the run being built, if any. Call after the last {@link #add} of a drive. */
    public void finish() {
        if (first == null) {
            return;
        }
        if (run == null) {
            out.write(new DatagramPacket(first, remote), out.voidPromise());
        } else {
            first.release();
            segmentedWrites++;
            ChannelFuture f = out.write(new SegmentedDatagramPacket(run, segmentBytes, remote));
            f.addListener(onSegmentedWrite);
        }
        first = null;
        run = null;
        remote = null;
        segments = 0;
        closedByShortSegment = false;
    }

    private void segmentedWriteDone(ChannelFuture f) {
        if (!f.isSuccess() && enabled) {
            refusedWrites++;
            enabled = false;
            LOG.debug("UDP_SEGMENT write refused ({} so far); sending plain datagrams from now on", refusedWrites,
                f.cause());
        }
    }

    /** Drops a run still being built (the channel is going away). */
    public void discard() {
        if (first != null) {
            first.release();
            first = null;
        }
        if (run != null) {
            run.release();
            run = null;
        }
    }
}
