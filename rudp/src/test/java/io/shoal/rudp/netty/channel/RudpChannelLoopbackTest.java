package io.shoal.rudp.netty.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.RudpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.shoal.rudp.netty.channel.LoopbackRudp.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secure connections as child channels on real loopback sockets, with bounded waits. */
@Timeout(60)
class RudpChannelLoopbackTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    @RegisterExtension
    final LoopbackSockets sockets = new LoopbackSockets();

    static Stream<Arguments> transportsAndModes() {
        return Stream.of(LoopbackRudp.Io.values())
                .flatMap(io -> Stream.of(Arguments.of(io, false), Arguments.of(io, true)));
    }

    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("transportsAndModes")
    void shouldEchoThroughChildChannels(final LoopbackRudp.Io io, final boolean stream) throws Exception {
        sockets.use(io);
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(),
                io.apply(LoopbackRudp.serverConfig(stream)), new LoopbackRudp.Echo()));
        final LoopbackRudp.Collect echoes = new LoopbackRudp.Collect();
        final RudpChannel client = RudpClient.connect(sockets.group(), io.apply(LoopbackRudp.clientConfig(stream)),
                LoopbackRudp.address(server), "server", echoes).get(10, TimeUnit.SECONDS);
        final byte[] data = new byte[300_000];
        new Random(SEED).nextBytes(data);
        for (int off = 0, size = 1; off < data.length; off += size, size = Math.min(size * 2 + 1, 4000)) {
            final int n = Math.min(size, data.length - off);
            client.writeAndFlush(Unpooled.wrappedBuffer(data, off, n)).sync();
        }
        await(() -> echoes.total == data.length, "echo of " + data.length + " bytes");
        assertArrayEquals(data, echoes.bytes());
        client.close().sync();
        assertEquals(CloseReason.LOCAL_CLOSE, client.closeReason().get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(LoopbackRudp.Io.class)
    void shouldCarryFiftyConcurrentConnectionsOnOneSocket(final LoopbackRudp.Io io) throws Exception {
        sockets.use(io);
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(),
                io.apply(LoopbackRudp.serverConfig(false)), new LoopbackRudp.Echo()));
        final Channel socket = sockets.track(RudpClient.bindClient(sockets.group(),
                io.apply(LoopbackRudp.clientConfig(false))).sync().channel());
        final RudpCodec codec = RudpServer.codec(socket);
        final List<Future<RudpChannel>> connecting = new ArrayList<>();
        final List<LoopbackRudp.Collect> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            final LoopbackRudp.Collect sink = new LoopbackRudp.Collect();
            sinks.add(sink);
            connecting.add(codec.connect(LoopbackRudp.address(server), "server", sink));
        }
        final byte[][] sent = new byte[50][];
        final Random random = new Random(SEED);
        for (int i = 0; i < 50; i++) {
            final RudpChannel c = connecting.get(i).get(10, TimeUnit.SECONDS);
            sent[i] = new byte[5_000 + i * 100];
            random.nextBytes(sent[i]);
            c.writeAndFlush(Unpooled.wrappedBuffer(sent[i]));
        }
        for (int i = 0; i < 50; i++) {
            final int k = i;
            await(() -> sinks.get(k).total == sent[k].length, "echo on connection " + k);
            assertArrayEquals(sent[i], sinks.get(i).bytes());
        }
        final int[] connections = new int[1];
        server.eventLoop().submit(() -> connections[0] = RudpServer.codec(server).stats().connections()).sync();
        assertEquals(50, connections[0]);
    }

    @Test
    void shouldStopBeingWritableWhenThePeerDoesNotReadAndRecoverWhenItDoes() throws Exception {
        final List<Channel> accepted = new ArrayList<>();
        final LoopbackRudp.Collect received = new LoopbackRudp.Collect();
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(), LoopbackRudp.serverConfig(false),
                new ChannelInitializer<RudpChannel>() {
                    @Override
                    protected void initChannel(final RudpChannel ch) {
                        ch.config().setAutoRead(false);
                        ch.pipeline().addLast(received);
                        synchronized (accepted) {
                            accepted.add(ch);
                        }
                    }
                }));
        final AtomicInteger writabilityChanges = new AtomicInteger();
        final RudpChannel client = RudpClient.connect(sockets.group(), LoopbackRudp.clientConfig(false),
                LoopbackRudp.address(server), "server", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
                        writabilityChanges.incrementAndGet();
                    }
                }).get(10, TimeUnit.SECONDS);
        sockets.track(client.parent());
        final byte[] chunk = new byte[1000];
        new Random(SEED).nextBytes(chunk);
        int written = 0;
        while (client.isWritable() && written < 100_000) {
            client.writeAndFlush(Unpooled.wrappedBuffer(chunk));
            written++;
            if (written % 64 == 0) {
                client.eventLoop().submit(() -> { }).sync(); // let the loop run the writes
            }
        }
        assertFalse(client.isWritable(), "a peer that never reads fills the windows");
        assertTrue(written < 100_000);
        await(() -> writabilityChanges.get() >= 1, "writability change to false");
        final Channel serverChild;
        synchronized (accepted) {
            serverChild = accepted.get(0);
        }
        serverChild.config().setAutoRead(true);
        serverChild.read();
        final long expected = (long) written * chunk.length;
        await(() -> received.total == expected, "all " + expected + " bytes read");
        await(client::isWritable, "writable again");
        assertTrue(writabilityChanges.get() >= 2);
    }

    @Test
    void shouldReportCloseReasonsOnBothSides() throws Exception {
        final List<LoopbackRudp.Collect> serverSides = new ArrayList<>();
        final List<RudpChannel> serverChildren = new ArrayList<>();
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(), LoopbackRudp.serverConfig(false),
                new ChannelInitializer<RudpChannel>() {
                    @Override
                    protected void initChannel(final RudpChannel ch) {
                        final LoopbackRudp.Collect c = new LoopbackRudp.Collect();
                        ch.pipeline().addLast(c);
                        synchronized (serverSides) {
                            serverSides.add(c);
                            serverChildren.add(ch);
                        }
                    }
                }));
        final RudpChannel graceful = RudpClient.connect(sockets.group(), LoopbackRudp.clientConfig(false),
                LoopbackRudp.address(server), "server", new LoopbackRudp.Collect()).get(10, TimeUnit.SECONDS);
        graceful.writeAndFlush(Unpooled.wrappedBuffer(new byte[10_000])).sync();
        graceful.close().sync();
        assertEquals(CloseReason.LOCAL_CLOSE, graceful.closeReason().get(10, TimeUnit.SECONDS));
        await(() -> serverChildren.size() == 1 && serverChildren.get(0).closeReason().isDone(), "server side closed");
        assertEquals(CloseReason.PEER_CLOSE, serverChildren.get(0).closeReason().getNow());
        assertEquals(10_000, serverSides.get(0).total, "everything delivered before the close");
        assertEquals(new RudpCloseEvent(CloseReason.PEER_CLOSE, ""), serverSides.get(0).lastEvent);

        final RudpChannel aborted = RudpClient.connect(sockets.group(), LoopbackRudp.clientConfig(false),
                LoopbackRudp.address(server), "server", new LoopbackRudp.Collect()).get(10, TimeUnit.SECONDS);
        aborted.abort("enough").sync();
        assertEquals(CloseReason.LOCAL_ABORT, aborted.closeReason().get(10, TimeUnit.SECONDS));
        await(() -> serverChildren.size() == 2 && serverChildren.get(1).closeReason().isDone(), "abort seen");
        assertEquals(CloseReason.PEER_ABORT, serverChildren.get(1).closeReason().getNow());
        assertEquals(new RudpCloseEvent(CloseReason.PEER_ABORT, "enough"), serverSides.get(1).lastEvent);
    }

    @Test
    void shouldFailTheConnectFutureWhenTheServerKeyIsWrong() {
        final Channel server = sockets.track(bindQuietly(LoopbackRudp.serverConfig(false)));
        final RudpConfig wrongPin = LoopbackRudp.clientConfig(false).toBuilder()
                .policy(PeerKeyPolicy.pinned(StaticIdentity.generate(new SecureRandom()).publicKey()))
                .handshakeTimeoutNs(1_500_000_000L).build();
        final Future<RudpChannel> f = RudpClient.connect(sockets.group(), wrongPin, LoopbackRudp.address(server),
                "server", new LoopbackRudp.Collect());
        final ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        final RudpHandshakeException h = assertInstanceOf(RudpHandshakeException.class, e.getCause());
        assertEquals(HandshakeFailure.TIMED_OUT, h.failure(), "an IK initiation for another key fails mac1: silence");
    }

    private Channel bindQuietly(final RudpConfig config) {
        try {
            return LoopbackRudp.bindServer(sockets.group(), config, new LoopbackRudp.Echo());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
