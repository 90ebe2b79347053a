package io.shoal.rudp.netty.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.shoal.rudp.session.DropReason;
import io.shoal.rudp.session.EndpointStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.shoal.rudp.netty.channel.LoopbackRudp.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sealed datagrams sent as {@code UDP_SEGMENT} runs and read with {@code UDP_GRO} on real epoll sockets: the kernel
 * keeps each run whole up to the receiving socket, and the codec must still see one datagram at a time (a joined run
 * fails authentication). A bulk stream must arrive intact with no authentication or length drops.
 */
@Timeout(60)
class CoalescedReadLoopbackTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final int TOTAL_BYTES = 8 << 20;
    private static final int WRITE_BYTES = 64 << 10;

    private EventLoopGroup group;

    @AfterEach
    void stop() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void shouldDeliverABulkStreamIntactWhenSealedRunsAreReadCoalesced() throws Exception {
        group = LoopbackRudp.Io.EPOLL.group();
        final LoopbackRudp.Collect sink = new LoopbackRudp.Collect();
        final Channel server = LoopbackRudp.bindServer(group, LoopbackRudp.Io.EPOLL.apply(
                LoopbackRudp.serverConfig(true)), sink);
        assumeTrue(Boolean.TRUE.equals(server.config().getOption(EpollChannelOption.UDP_GRO)),
                "kernel without UDP_GRO: reads are not coalesced here");
        final Channel socket = RudpClient.bindClient(group, LoopbackRudp.Io.EPOLL.apply(
                LoopbackRudp.clientConfig(true))).sync().channel();
        final RudpCodec client = RudpServer.codec(socket);
        final RudpChannel c = client.connect(LoopbackRudp.address(server), "server", new LoopbackRudp.Collect())
                .get(10, TimeUnit.SECONDS);
        final byte[] sent = new byte[TOTAL_BYTES];
        new Random(SEED).nextBytes(sent);
        for (int off = 0; off < sent.length; off += WRITE_BYTES) {
            c.write(Unpooled.wrappedBuffer(sent, off, WRITE_BYTES));
        }
        c.flush();
        await(() -> sink.total == TOTAL_BYTES, "the whole stream at the server");
        assertArrayEquals(sent, sink.bytes());

        final AtomicReference<EndpointStats> stats = new AtomicReference<>();
        server.eventLoop().submit(() -> stats.set(RudpServer.codec(server).stats())).sync();
        final long[] segmented = new long[1];
        socket.eventLoop().submit(() -> segmented[0] = client.segmentedWrites()).sync();
        assertTrue(segmented[0] > 0, "the client sent UDP_SEGMENT runs");
        assertEquals(0, stats.get().drops(DropReason.AUTH_FAILED), "no joined run reached the AEAD");
        assertEquals(0, stats.get().drops(DropReason.MALFORMED), "no joined run was too long");
        assertTrue(stats.get().datagramsIn() > TOTAL_BYTES / 1500, "datagrams counted one by one");
        socket.close().sync();
        server.close().sync();
    }
}
