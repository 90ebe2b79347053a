package io.shoal.rudp.netty.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.session.DropReason;
import io.shoal.rudp.session.EndpointStats;
import io.shoal.rudp.session.RudpConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.shoal.rudp.netty.channel.LoopbackRudp.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients handshaking at once with one server socket whose handshake work runs on worker threads (and, for
 * comparison, inline), IK and XX, with a cookie round forced on every initiation: every connection comes up once
 * and echoes its bytes, nothing is dropped for a full queue, and the work really ran off the event loop.
 */
class HandshakeOffloadLoopbackTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final int SOCKETS = 4;
    private static final int PER_SOCKET = 20;

    @RegisterExtension
    final LoopbackSockets sockets = new LoopbackSockets();

    @ParameterizedTest(name = "{0}, {1} workers")
    @CsvSource({"IK, 2", "XX, 2", "IK, 0", "XX, 0"})
    void shouldEstablishEveryConcurrentHandshakeOnceWhenCookiesAreForced(final String pattern, final int workers)
            throws Exception {
        final RudpConfig serverConfig = LoopbackRudp.serverConfig(false).toBuilder().cookieThreshold(0)
                .handshakeWorkers(workers).build();
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(), serverConfig,
                new LoopbackRudp.Echo()));
        final RudpConfig clientBase = LoopbackRudp.clientConfig(false);
        final List<Future<RudpChannel>> connecting = new ArrayList<>();
        final List<LoopbackRudp.Collect> sinks = new ArrayList<>();
        for (int s = 0; s < SOCKETS; s++) {
            final RudpConfig clientConfig = "IK".equals(pattern) ? clientBase
                    : clientBase.toBuilder().policy(PeerKeyPolicy.learnOnFirstUse(new ConcurrentHashMap<>())).build();
            final RudpCodec codec = RudpServer.codec(sockets.track(
                    RudpClient.bindClient(sockets.group(), clientConfig).sync().channel()));
            for (int i = 0; i < PER_SOCKET; i++) {
                final LoopbackRudp.Collect sink = new LoopbackRudp.Collect();
                sinks.add(sink);
                connecting.add(codec.connect(LoopbackRudp.address(server), "server", sink));
            }
        }
        final int n = SOCKETS * PER_SOCKET;
        final byte[][] sent = new byte[n][];
        final Random random = new Random(SEED);
        for (int i = 0; i < n; i++) {
            final RudpChannel c = connecting.get(i).get(20, TimeUnit.SECONDS);
            sent[i] = new byte[100 + random.nextInt(2_000)];
            random.nextBytes(sent[i]);
            c.writeAndFlush(Unpooled.wrappedBuffer(sent[i]));
        }
        for (int i = 0; i < n; i++) {
            final int k = i;
            await(() -> sinks.get(k).total == sent[k].length, "echo on connection " + k);
            assertArrayEquals(sent[i], sinks.get(i).bytes());
        }
        final EndpointStats[] stats = new EndpointStats[1];
        server.eventLoop().submit(() -> stats[0] = RudpServer.codec(server).stats()).sync();
        assertEquals(n, stats[0].connections(), "one connection per client connection, no duplicates");
        assertTrue(stats[0].cookiesSent() >= n, "a cookie round for every initiation: " + stats[0].cookiesSent());
        assertEquals(0, stats[0].drops(DropReason.HANDSHAKE_QUEUE_FULL));
        assertEquals(0, stats[0].halfOpen());
        if (workers > 0) {
            final long workerThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("rudp-handshake-")).count();
            assertTrue(workerThreads >= 1, "handshake work ran on worker threads");
        }
    }
}
