package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpSegmentCodec;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The raw-profile shell: put it last on a {@code DatagramChannel}'s pipeline (NIO or epoll) and it owns every KCP
 * conversation of that socket, keyed by (remote address, conv). Datagrams from an unknown pair start a
 * conversation if the {@link RawKcpConfig#acceptor()} takes it (and fewer than {@link RawKcpConfig#maxConversations()} exist);
 * {@link #open} starts one towards a remote.
 *
 * <p>Reads: every inbound {@link DatagramPacket} is released here, in {@code finally}; malformed datagrams are
 * counted ({@link #malformedDatagrams()}) and dropped, nothing is thrown down the pipeline; each conversation that
 * had input is driven once at {@code channelReadComplete}, so ACKs for a whole batch are coalesced. Writes: the
 * engine builds datagrams in buffers from {@code ctx.alloc()}; on epoll, runs of equal-sized ones leave as one
 * {@code UDP_SEGMENT} write ({@link SegmentedDatagramWriter}); they are flushed once per read batch or timer run.
 * Timers: each conversation has one deadline in a {@link DeadlineQueue}; one scheduled task on the event loop is
 * re-armed only when the earliest deadline moves earlier (a timer that fires early just re-arms), and one run
 * handles at most
 * {@value #MAX_TIMEOUTS_PER_RUN} conversations before yielding to I/O.
 */
public final class RawKcpHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_TIMEOUTS_PER_RUN = 256;
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(RawKcpHandler.class);

    /** Routing key; one short-lived record per datagram, which escape analysis usually removes. */
    private record Key(InetSocketAddress remote, int conv) {
    }

    private final RawKcpConfig config;
    private final LongSupplier clock;
    private final Map<Key, Conversation> conversations = new HashMap<>();
    private final DeadlineQueue<Conversation> deadlines = new DeadlineQueue<>();
    private final ArrayList<Conversation> dirty = new ArrayList<>();
    private final SegmentedDatagramWriter writer = new SegmentedDatagramWriter();
    private final BatchedFlusher flusher = new BatchedFlusher();
    private final Runnable timerTask = this::runTimers;
    private ChannelHandlerContext ctx;
    private KcpConfig kcp;
    private Future<?> timer;
    private long timerDeadlineNs;

    private volatile int conversationCount;
    private volatile long malformedDatagrams;
    private volatile long refusedConversations;
    private volatile long droppedSends;
    private volatile long listenerFailures;

    public RawKcpHandler(RawKcpConfig config) {
        this.config = config;
        this.clock = config.nanoClock();
    }

    /** Conversations open on this socket now. */
    public int conversationCount() {
        return conversationCount;
    }

    /** Datagrams dropped as malformed: too short, bad header, or rejected by their engine. */
    public long malformedDatagrams() {
        return malformedDatagrams;
    }

    /** Datagrams from unknown (address, conv) pairs not accepted: client-only socket, cap reached, or refused. */
    public long refusedConversations() {
        return refusedConversations;
    }

    /** Application sends the engine refused for good (too large or closed). */
    public long droppedSends() {
        return droppedSends;
    }

    /**
     * Opens a conversation towards {@code remote} with the agreed {@code conv}. Thread-safe: off the event loop it
     * waits for the loop.
     *
     * @throws IllegalStateException if that (remote, conv) is already open, or the handler is not on a channel
     */
    public RawKcpConnection open(InetSocketAddress remote, int conv, RawKcpListener listener) {
        if (ctx == null) {
            throw new IllegalStateException("handler is not on a channel");
        }
        if (ctx.executor().inEventLoop()) {
            return openNow(remote, conv, listener);
        }
        return ctx.executor().submit(() -> openNow(remote, conv, listener)).syncUninterruptibly().getNow();
    }

    private RawKcpConnection openNow(InetSocketAddress remote, int conv, RawKcpListener listener) {
        if (!ctx.channel().isActive()) {
            throw new IllegalStateException("channel is closed");
        }
        Key key = new Key(remote, conv);
        if (conversations.containsKey(key)) {
            throw new IllegalStateException("conversation " + Integer.toUnsignedString(conv) + " with " + remote
                + " is already open");
        }
        Conversation c = register(key);
        c.listener = listener;
        return c.connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Engines allocate their segments from the channel's (pooled, direct) allocator.
        this.kcp = config.kcp().toBuilder().allocator(ctx.alloc()).build();
        writer.attach(ctx, config.segmentationOffload() && SegmentedDatagramWriter.supported(ctx.channel()));
        flusher.attach(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closeAll();
        writer.discard();
    }

    /** True while runs of datagrams leave as one {@code UDP_SEGMENT} write (epoll, where the kernel has it). */
    public boolean segmentationOffloadActive() {
        return writer.enabled();
    }

    /** {@code UDP_SEGMENT} writes so far, each carrying a run of datagrams. */
    public long segmentedWrites() {
        return writer.segmentedWrites();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closeAll();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        flusher.beginBatch(); // ended by channelReadComplete
        try {
            route(packet.sender(), packet.content());
        } catch (RuntimeException e) {
            // An engine or listener bug must not escape into the pipeline; count it like bad input.
            malformedDatagrams++;
            LOG.debug("raw KCP datagram from {} failed", packet.sender(), e);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!dirty.isEmpty()) {
            long nowNs = nowNs();
            for (int i = 0; i < dirty.size(); i++) {
                Conversation c = dirty.get(i);
                c.dirty = false;
                try {
                    c.drive(nowNs);
                } catch (RuntimeException e) {
                    LOG.debug("raw KCP conv {} failed; closing it", c.conv, e);
                    c.close();
                }
            }
            dirty.clear();
        }
        flusher.endBatch(false);
    }

    /** {@code c} had input in this read batch: drive it once when the batch ends. */
    void markDirty(Conversation c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP send errors (e.g. ICMP port unreachable) are not fatal for a connectionless socket.
        LOG.debug("raw KCP socket error", cause);
    }

    private void route(InetSocketAddress sender, ByteBuf data) {
        long conv = KcpEngine.readConv(data);
        if (conv < 0) {
            malformedDatagrams++;
            return;
        }
        Key key = new Key(sender, (int) conv);
        Conversation c = conversations.get(key);
        if (c == null) {
            c = accept(key, data);
            if (c == null) {
                return;
            }
        }
        if (!c.input(nowNs(), data)) {
            malformedDatagrams++;
        }
    }

    private Conversation accept(Key key, ByteBuf data) {
        RawKcpAcceptor acceptor = config.acceptor();
        if (!KcpSegmentCodec.isWellFormed(data, kcp.mss())) {
            malformedDatagrams++;
            return null;
        }
        if (acceptor == null || conversations.size() >= config.maxConversations()) {
            refusedConversations++;
            return null;
        }
        Conversation c = register(key);
        RawKcpListener listener = null;
        try {
            listener = acceptor.accept(c.connection);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
        if (listener == null) {
            refusedConversations++;
            c.close();
            return null;
        }
        c.listener = listener;
        return c;
    }

    private Conversation register(Key key) {
        long idleNs = TimeUnit.MILLISECONDS.toNanos(config.idleTimeoutMs());
        Conversation c = new Conversation(this, key.remote(), key.conv(), new KcpEngine(key.conv(), kcp), nowNs(),
            idleNs, config.pendingHighWaterBytes());
        conversations.put(key, c);
        conversationCount = conversations.size();
        return c;
    }

    /** Called by a closing conversation: drop its routing entry and timer. */
    void forget(Conversation c) {
        conversations.remove(new Key(c.remote, c.conv), c);
        deadlines.remove(c);
        conversationCount = conversations.size();
    }

    private void closeAll() {
        if (conversations.isEmpty()) {
            return;
        }
        List<Conversation> all = new ArrayList<>(conversations.values());
        for (Conversation c : all) {
            c.close();
        }
    }

    long nowNs() {
        return clock.getAsLong();
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    void countDroppedSend() {
        droppedSends++;
    }

    void listenerFailed(RuntimeException e) {
        listenerFailures++;
        LOG.warn("raw KCP listener threw", e);
    }

    /**
     * Drains the engine's datagrams into the channel (flushed when the batch ends). The engine builds each datagram
     * in a buffer from the channel's allocator and hands it over; runs of equal-sized ones may leave as one
     * segmented write ({@link SegmentedDatagramWriter}).
     */
    void transmit(Conversation c) {
        boolean wrote = false;
        ByteBuf out;
        while ((out = c.engine.pollDatagram()) != null) {
            writer.add(out, c.remote);
            wrote = true;
        }
        if (wrote) {
            writer.finish();
            flusher.wrote();
        }
    }

    /** Queues {@code c} at {@code deadlineNs} ({@link KcpEngine#NO_DEADLINE} takes it out). */
    void reschedule(Conversation c, long deadlineNs) {
        if (deadlineNs == KcpEngine.NO_DEADLINE) {
            deadlines.remove(c); // a timer armed for it may fire early; that is harmless
            return;
        }
        if (c.heapIndex >= 0 && c.queuedDeadlineNs == deadlineNs) {
            return;
        }
        deadlines.schedule(c, deadlineNs);
        armTimer();
    }

    private void armTimer() {
        Conversation first = deadlines.peek();
        if (first == null) {
            return;
        }
        long at = first.queuedDeadlineNs;
        if (timer != null && at - timerDeadlineNs >= 0) {
            return; // the armed timer fires no later than needed
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDeadlineNs = at;
        timer = ctx.executor().schedule(timerTask, Math.max(0, at - nowNs()), TimeUnit.NANOSECONDS);
    }

    private void runTimers() {
        timer = null;
        long nowNs = nowNs();
        boolean outerBatch = flusher.beginBatch();
        try {
            int budget = MAX_TIMEOUTS_PER_RUN;
            Conversation c;
            while (budget-- > 0 && (c = deadlines.peek()) != null && c.queuedDeadlineNs - nowNs <= 0) {
                deadlines.remove(c); // its drive queues it again
                try {
                    c.timeout(nowNs);
                } catch (RuntimeException e) {
                    LOG.debug("raw KCP timeout of conv {} failed; closing it", c.conv, e);
                    c.close();
                }
            }
        } finally {
            flusher.endBatch(outerBatch);
        }
        armTimer(); // overdue entries left by the budget re-arm with delay 0, after pending I/O
    }
}
