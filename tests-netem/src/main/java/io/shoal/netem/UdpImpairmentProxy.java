package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.shoal.rudp.netty.SegmentedDatagramWriter;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A UDP proxy: datagrams from each client address go to the upstream from a socket of their own (a session), and
 * replies come back to that client, each direction through its {@link DatagramPath}. Sessions idle for
 * {@link #IDLE_NS} are closed; at most {@link #MAX_SESSIONS} exist, datagrams from further clients are dropped and
 * counted. Everything runs on one event loop.
 *
 * <p>Per datagram the costly part is the kernel's, so system calls are shared: reads take many datagrams per call
 * (a {@code UDP_GRO} run with {@link Transports#SEGMENTATION_OFFLOAD}, else recvmmsg), and each batch the delay line
 * releases is written per socket through a {@link SegmentedDatagramWriter}, which joins equal-sized datagrams to one
 * address into one {@code UDP_SEGMENT} send and flushes everything with one sendmmsg.
 */
final class UdpImpairmentProxy implements ProxyTransport, DelayLine.Output {
    static final int MAX_SESSIONS = 4096;
    static final int DELAY_LINE_CAPACITY = 1 << 17;
    static final long DELAY_LINE_BYTES = 64L << 20;
    /**
     * How late the delay line may release a datagram so that one timer wake-up serves a batch: 100 us is a tenth of the
     * millisecond accuracy promised, and at 100k datagrams per second it makes batches of about ten.
     */
    static final long DELAY_BATCH_WINDOW_NS = TimeUnit.MICROSECONDS.toNanos(100);
    static final long IDLE_NS = TimeUnit.SECONDS.toNanos(60);
    /**
     * How long before a release the delay line's loop stops sleeping and busy-waits ({@code -Dshoal.netem.spinUs},
     * default 0: off; see {@link DelayLine}).
     */
    static final long SPIN_NS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("shoal.netem.spinUs", 0));
    /**
     * The proxy loop's timer slack ({@code -Dshoal.netem.timerSlackNs}, default -1: the kernel's 50 us), how late
     * the kernel may end the loop's epoll wait after the delay line's timer ({@link ThreadPlacement#setOwnTimerSlack}).
     */
    static final long TIMER_SLACK_NS = Long.getLong("shoal.netem.timerSlackNs", -1);

    private final String name;
    private final ToxicChain toxics;
    private final EventLoop loop;
    private final DelayLine delayLine;
    private final DatagramPath upstreamPath;
    private final DatagramPath downstreamPath;
    private final Map<InetSocketAddress, UdpSession> sessions = new HashMap<>();
    private final List<UdpSession> dirty = new ArrayList<>();
    private Channel listener;
    private final SegmentedDatagramWriter listenerWriter = new SegmentedDatagramWriter();
    private boolean listenerDirty;
    private InetSocketAddress upstreamAddress;
    private ProxyAddress upstreamSpec;
    private ScheduledFuture<?> sweeper;
    private long sessionCount;
    private long rebinds;
    private long droppedOverflow;
    private final ReleaseLateness lateness = new ReleaseLateness();

    UdpImpairmentProxy(String name, EventLoopGroup group, ToxicChain toxics, long seed) {
        this.name = name;
        this.toxics = toxics;
        this.loop = group.next();
        this.delayLine = new DelayLine(loop, this, DELAY_LINE_CAPACITY, DELAY_LINE_BYTES,
            DELAY_BATCH_WINDOW_NS, SPIN_NS);
        this.upstreamPath = new DatagramPath(toxics, ToxicStream.UPSTREAM, seed, ByteBufAllocator.DEFAULT, delayLine,
            this);
        this.downstreamPath = new DatagramPath(toxics, ToxicStream.DOWNSTREAM, ~seed, ByteBufAllocator.DEFAULT,
            delayLine, this);
    }

    @Override
    public InetSocketAddress start(InetSocketAddress listen, ProxyAddress upstream) {
        upstreamSpec = upstream;
        upstreamAddress = upstream.resolve();
        ChannelFuture bind = Transports.datagramBootstrap(loop).handler(new ClientSide()).bind(listen)
            .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new ApiException(500, "listen udp " + ProxyAddress.format(false, listen) + ": bind: "
                + bind.cause().getMessage());
        }
        listener = bind.channel();
        if (TIMER_SLACK_NS >= 0) {
            loop.execute(() -> ThreadPlacement.setOwnTimerSlack(TIMER_SLACK_NS));
        }
        listenerWriter.attach(listener, Transports.SEGMENTATION_OFFLOAD);
        sweeper = loop.scheduleAtFixedRate(this::closeIdleSessions, 10, 10, TimeUnit.SECONDS);
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void changeUpstream(ProxyAddress newUpstream) {
        InetSocketAddress resolved = newUpstream.resolve();
        runOnLoop(() -> {
            upstreamSpec = newUpstream;
            upstreamAddress = resolved;
            closeAllSessions();
        });
    }

    @Override
    public void stop() {
        Channel l = listener;
        if (l == null) {
            return;
        }
        l.close().awaitUninterruptibly();
        runOnLoop(() -> {
            listenerWriter.discard();
            sweeper.cancel(false);
            closeAllSessions();
        });
    }

    private void closeAllSessions() {
        for (UdpSession s : sessions.values()) {
            closeSession(s);
        }
        sessions.clear();
        delayLine.clear();
    }

    private void runOnLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void toxicsChanged() {
        // The paths compare the chain's version on the next datagram; nothing to do eagerly.
    }

    @Override
    public ProxyStats stats() {
        return onLoop(this::snapshot);
    }

    private <T> T onLoop(Callable<T> read) {
        try {
            return loop.inEventLoop() ? read.call() : loop.submit(read).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("proxy " + name, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("proxy " + name, e);
        }
    }

    @Override
    public LatenessSummary lateness(boolean reset) {
        return onLoop(() -> lateness.summary(reset));
    }

    @Override
    public String wakeups(boolean reset) {
        return delayLine.trace() == null ? "" : onLoop(() -> delayLine.trace().summary(reset));
    }

    private ProxyStats snapshot() {
        return new ProxyStats(upstreamPath.stats(), downstreamPath.stats(), sessionCount, rebinds,
            droppedOverflow + delayLine.droppedOverflow());
    }

    /** Datagrams from clients. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            long nowNs = System.nanoTime();
            UdpSession session = sessions.get(packet.sender());
            if (session == null) {
                if (sessions.size() >= MAX_SESSIONS) {
                    droppedOverflow++;
                    packet.release();
                    return;
                }
                session = new UdpSession(packet.sender(), rebindEpoch(nowNs), nowNs);
                sessions.put(session.client, session);
                sessionCount++;
                openUpstream(session);
            } else if (session.rebindEpoch != rebindEpoch(nowNs)) {
                session.rebindEpoch = rebindEpoch(nowNs);
                rebinds++;
                closeSession(session);
                openUpstream(session);
            }
            session.lastActiveNs = nowNs;
            upstreamPath.transmit(nowNs, compact(ctx, packet.content()), session);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: a UDP proxy keeps serving.
        }
    }

    /** Datagrams from the upstream to one session's socket. */
    private final class UpstreamSide extends ChannelInboundHandlerAdapter {
        private final UdpSession session;

        UpstreamSide(UdpSession session) {
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            if (session.upstream != ctx.channel()) {
                packet.release(); // a reply to the socket a rebinding replaced: the "NAT" forgot that mapping
                return;
            }
            long nowNs = System.nanoTime();
            session.lastActiveNs = nowNs;
            downstreamPath.transmit(nowNs, compact(ctx, packet.content()), session);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Connection refused from a closed upstream port: keep the session, the upstream may come back.
        }
    }

    /**
     * A right-sized pooled copy of a datagram, releasing the read buffer: a held datagram then costs its own size, not
     * a pin on the batched read buffer it was sliced from. Takes ownership.
     */
    private static ByteBuf compact(ChannelHandlerContext ctx, ByteBuf datagram) {
        int n = datagram.readableBytes();
        ByteBuf copy = ctx.alloc().directBuffer(n, n);
        copy.writeBytes(datagram, datagram.readerIndex(), n);
        datagram.release();
        return copy;
    }

    private void openUpstream(UdpSession session) {
        InetSocketAddress target = upstreamAddress.isUnresolved() ? upstreamSpec.resolve() : upstreamAddress;
        ChannelFuture f = Transports.datagramBootstrap(loop).handler(new UpstreamSide(session)).connect(target);
        session.upstream = f.channel();
        session.upstreamTarget = target;
        session.connected = false;
        session.writer.attach(f.channel(), Transports.SEGMENTATION_OFFLOAD);
        f.addListener(done -> {
            if (session.upstream != f.channel()) {
                return;
            }
            if (!done.isSuccess()) {
                session.dropPending();
                return;
            }
            session.connected = true;
            ByteBuf b;
            while ((b = session.pending.poll()) != null) {
                f.channel().write(b, f.channel().voidPromise());
                lateness.released(session.pendingDueNs.poll());
            }
            f.channel().flush();
            lateness.handedOff(System.nanoTime());
        });
    }

    private void closeSession(UdpSession session) {
        session.dropPending();
        if (session.upstream != null) {
            session.upstream.close();
        }
    }

    private void closeIdleSessions() {
        long nowNs = System.nanoTime();
        for (Iterator<UdpSession> it = sessions.values().iterator(); it.hasNext(); ) {
            UdpSession s = it.next();
            if (nowNs - s.lastActiveNs > IDLE_NS) {
                closeSession(s);
                it.remove();
            }
        }
    }

    /** See {@link RebindEpoch}: a session bound under another value needs a new upstream socket. */
    private long rebindEpoch(long nowNs) {
        return RebindEpoch.at(toxics, nowNs);
    }

    @Override
    public void deliver(ByteBuf datagram, UdpSession session, boolean toUpstream, long dueNs) {
        if (toUpstream) {
            Channel ch = session.upstream;
            if (ch == null || !ch.isOpen()) {
                datagram.release();
            } else if (session.connected && !writable(ch, session.writer)) {
                droppedOverflow++; // the socket's send buffer is full: drop, never queue without bound
                datagram.release();
            } else if (!session.connected) {
                if (session.pending.size() >= UdpSession.MAX_PENDING) {
                    droppedOverflow++;
                    datagram.release();
                } else {
                    session.pending.add(datagram);
                    session.pendingDueNs.add(dueNs);
                }
            } else {
                session.writer.add(datagram, session.upstreamTarget);
                lateness.released(dueNs);
                if (!session.dirty) {
                    session.dirty = true;
                    dirty.add(session);
                }
            }
        } else if (listener.isActive() && writable(listener, listenerWriter)) {
            listenerWriter.add(datagram, session.client);
            lateness.released(dueNs);
            listenerDirty = true;
        } else {
            droppedOverflow += listener.isActive() ? 1 : 0;
            datagram.release();
        }
    }

    /**
     * Whether {@code ch} takes another datagram. A batch the delay line releases after a stall (the loop was not
     * scheduled for a while) can exceed the channel's write buffer before the batch's one flush: then what is written
     * so far goes to the kernel now, and only a socket whose kernel buffer is also full counts as full.
     */
    private static boolean writable(Channel ch, SegmentedDatagramWriter writer) {
        if (ch.isWritable()) {
            return true;
        }
        writer.finish();
        ch.flush();
        return ch.isWritable();
    }

    @Override
    public void flush() {
        if (listenerDirty) {
            listenerDirty = false;
            listenerWriter.finish();
            listener.flush();
        }
        for (int i = 0; i < dirty.size(); i++) {
            UdpSession s = dirty.get(i);
            s.dirty = false;
            if (s.upstream != null) {
                s.writer.finish();
                s.upstream.flush();
            }
        }
        dirty.clear();
        lateness.handedOff(System.nanoTime());
    }
}
