package io.shoal.rudp.netty.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.RudpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.shoal.rudp.netty.channel.LoopbackRudp.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: a peer that never reads (issue 3, "Bad input and faults"). The server's first child channel has auto-read
 * off and never calls {@code read()}; a client writes to it as fast as writability allows.
 *
 * <p>What must hold: the writer sees writability go false and stays bounded. Its queued bytes (engine send queue
 * plus unacknowledged segments plus the channel's outbound buffer) never exceed the engine's queue limit
 * ({@code max(4 x send window, 2 x MAX_FRAGMENTS)} segments, plus one message) and send window in segments of at
 * most the MTU, plus the channel's high-water mark and one write; everything ever accepted also fits in the
 * receiver's window on top. Other connections on the same server socket keep full service. rudp's own idle timeout
 * does not fire (the stalled peer is alive and keeps acknowledging and answering window probes, as TCP's would), so
 * a writer that wants to give up uses an ordinary Netty {@link IdleStateHandler} and {@link RudpChannel#abort}; both
 * applications then hear a clear close reason.
 */
@Timeout(60)
class NonReadingPeerTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final int CHUNK_BYTES = 1000;
    /** The engine settings both ends use (stream mode, 256-segment windows). */
    private static final KcpConfig KCP = LoopbackRudp.serverConfig(true).kcp();
    private EventLoopGroup group;
    private final List<Channel> sockets = new ArrayList<>();
    private final List<RudpChannel> serverChildren = new ArrayList<>();
    private final LoopbackRudp.Collect stalledSide = new LoopbackRudp.Collect();

    @BeforeEach
    void start() throws InterruptedException {
        group = LoopbackRudp.group();
        // The first connection accepted never reads; every later one is echoed.
        sockets.add(LoopbackRudp.bindServer(group, LoopbackRudp.serverConfig(true),
                new ChannelInitializer<RudpChannel>() {
                    @Override
                    protected void initChannel(final RudpChannel ch) {
                        synchronized (serverChildren) {
                            if (serverChildren.isEmpty()) {
                                ch.config().setAutoRead(false);
                                ch.pipeline().addLast(stalledSide);
                            } else {
                                ch.pipeline().addLast(new LoopbackRudp.Echo());
                            }
                            serverChildren.add(ch);
                        }
                    }
                }));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Channel c : sockets) {
            c.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void shouldBoundTheWritersQueueAndKeepServingOthersWhenAPeerNeverReads() throws Exception {
        final Flooder flooder = new Flooder();
        final RudpChannel writer = connect(flooder);
        await(() -> flooder.unwritable.get() > 0, "writability to go false");
        final long baselineMs = echoMs(); // before the stall has lasted: same socket, another connection

        final long boundBytes = writerBoundBytes();
        long maxQueuedBytes = 0;
        final long stopNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        long duringMs = 0;
        for (int round = 0; System.nanoTime() - stopNs < 0 || round < 3; round++) {
            duringMs = Math.max(duringMs, echoMs()); // other connections keep full service meanwhile
            maxQueuedBytes = Math.max(maxQueuedBytes, queuedBytes(writer));
        }
        final long accepted = flooder.completedBytes.get();
        System.out.printf("non-reading peer: writer accepted %d bytes, max queued %d bytes (bound %d), "
                + "other connection's 200 KB echo %d ms before, at most %d ms during%n",
                accepted, maxQueuedBytes, boundBytes, baselineMs, duringMs);
        assertFalse(writer.isWritable(), "still not writable: the peer still does not read");
        assertTrue(maxQueuedBytes <= boundBytes, "queued " + maxQueuedBytes + " > bound " + boundBytes);
        final long receiverWindowBytes = (long) KCP.receiveWindow() * KCP.mtu();
        assertTrue(accepted <= boundBytes + receiverWindowBytes, "the writer kept going: " + accepted + " bytes");
        assertEquals(0, stalledSide.total, "the stalled application read nothing");
    }

    @Test
    void shouldTellBothApplicationsWhyWhenTheWriterGivesUpOnAStalledPeer() throws Exception {
        final Flooder flooder = new Flooder();
        final RudpChannel writer = connect(new ChannelInitializer<RudpChannel>() {
            @Override
            protected void initChannel(final RudpChannel ch) {
                // No write completed for 300 ms: the peer stopped reading; drop what is queued and tell it why.
                ch.pipeline().addLast(new IdleStateHandler(0, 300, 0, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
                        if (evt instanceof IdleStateEvent && !ctx.channel().isWritable()) {
                            ((RudpChannel) ctx.channel()).abort("peer stopped reading");
                        }
                        ctx.fireUserEventTriggered(evt);
                    }
                });
                ch.pipeline().addLast(flooder);
            }
        });
        assertEquals(CloseReason.LOCAL_ABORT, writer.closeReason().get(20, TimeUnit.SECONDS));
        assertTrue(flooder.unwritable.get() > 0, "the writer was blocked before it gave up");
        final RudpChannel stalled = serverChildren.get(0);
        assertEquals(CloseReason.PEER_ABORT, stalled.closeReason().get(10, TimeUnit.SECONDS));
        await(() -> stalledSide.lastEvent != null, "the close event on the stalled side");
        assertEquals(new RudpCloseEvent(CloseReason.PEER_ABORT, "peer stopped reading"), stalledSide.lastEvent);
        assertEquals(300_000, echoBytes(300_000).length, "the server socket still serves new connections");
    }

    /**
     * A graceful close flushes first, and data a peer never reads never drains: the peer stays alive and keeps
     * acknowledging, so neither the idle timeout nor dead-peer detection fires. The close timeout bounds the wait:
     * the writer then aborts by itself, with CLOSE_TIMEOUT, and the stalled side hears why.
     */
    @Test
    void shouldAbortWithCloseTimeoutWhenAGracefulCloseCannotDrainToAStalledPeer() throws Exception {
        final Flooder flooder = new Flooder();
        final RudpConfig config = LoopbackRudp.clientConfig(true).toBuilder()
                .closeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500)).build();
        final RudpChannel writer = connect(config, flooder);
        await(() -> flooder.unwritable.get() > 0, "writability to go false");
        final long t0 = System.nanoTime();
        writer.close();
        assertEquals(CloseReason.CLOSE_TIMEOUT, writer.closeReason().get(10, TimeUnit.SECONDS));
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs >= 450, "the close waited its timeout, not less: " + tookMs + " ms");
        assertEquals(CloseReason.PEER_ABORT, serverChildren.get(0).closeReason().get(10, TimeUnit.SECONDS));
        await(() -> stalledSide.lastEvent != null, "the close event on the stalled side");
        assertEquals(new RudpCloseEvent(CloseReason.PEER_ABORT, "close timed out"), stalledSide.lastEvent);
    }

    /** Segments the writer may hold (queue limit, one message, send window) at most MTU each, plus outbound. */
    private static long writerBoundBytes() {
        final long segments = Math.max(4L * KCP.sendWindow(), 2L * KcpConfig.MAX_FRAGMENTS) + KcpConfig.MAX_FRAGMENTS
                + KCP.sendWindow();
        return segments * KCP.mtu() + 64 * 1024 + CHUNK_BYTES; // default high-water mark plus the write that crossed it
    }

    private static long queuedBytes(final RudpChannel writer) throws Exception {
        return writer.eventLoop().submit(() -> {
            final KcpStats s = writer.stats().kcp();
            final long outbound = writer.unsafe().outboundBuffer() == null ? 0
                    : writer.unsafe().outboundBuffer().totalPendingWriteBytes();
            return (long) (s.sendQueueSegments() + s.inflightSegments()) * KCP.mtu() + outbound;
        }).get(10, TimeUnit.SECONDS);
    }

    private RudpChannel connect(final ChannelHandler handler) throws Exception {
        return connect(LoopbackRudp.clientConfig(true), handler);
    }

    private RudpChannel connect(final RudpConfig config, final ChannelHandler handler) throws Exception {
        final RudpChannel c = RudpClient.connect(group, config,
                LoopbackRudp.address(sockets.get(0)), "server", handler).get(10, TimeUnit.SECONDS);
        sockets.add(c.parent());
        return c;
    }

    private long echoMs() throws Exception {
        final long t0 = System.nanoTime();
        echoBytes(200_000);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private byte[] echoBytes(final int size) throws Exception {
        final byte[] data = new byte[size];
        new Random(SEED).nextBytes(data);
        final LoopbackRudp.Collect echoes = new LoopbackRudp.Collect();
        final RudpChannel c = connect(echoes);
        c.writeAndFlush(Unpooled.wrappedBuffer(data));
        await(() -> echoes.total == data.length, "echo of " + data.length + " bytes on another connection");
        assertArrayEquals(data, echoes.bytes());
        c.close().sync();
        return echoes.bytes();
    }

    /** Writes fixed chunks whenever the channel is writable; counts completed writes and writability drops. */
    private static final class Flooder extends ChannelInboundHandlerAdapter {
        final AtomicLong completedBytes = new AtomicLong();
        final AtomicInteger unwritable = new AtomicInteger();
        private final byte[] chunk = new byte[CHUNK_BYTES];

        Flooder() {
            new Random(SEED).nextBytes(chunk);
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            } else {
                unwritable.incrementAndGet();
            }
            ctx.fireChannelWritabilityChanged();
        }

        /** Runs on the event loop: writes stop as soon as the outbound buffer passes its high-water mark. */
        private void pump(final ChannelHandlerContext ctx) {
            while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(chunk)).addListener(f -> {
                    if (f.isSuccess()) {
                        completedBytes.addAndGet(CHUNK_BYTES);
                    }
                });
            }
        }
    }
}
