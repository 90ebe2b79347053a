package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.shoal.rudp.kcp.KcpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two raw-profile endpoints on loopback: real sockets, real engine, bounded by deadlines (no sleeps). Every test runs
 * on each transport: NIO, epoll with segmentation offload (UDP_SEGMENT/UDP_GRO) and epoll without; the epoll runs
 * are skipped, and reported as skipped, where the native transport does not load.
 */
@Timeout(60)
class RawKcpLoopbackTest {
    /** The socket set-ups every behaviour must hold on. */
    enum Io {
        NIO(RawKcpTransport.NIO, false),
        EPOLL(RawKcpTransport.EPOLL, true),
        EPOLL_NO_OFFLOAD(RawKcpTransport.EPOLL, false);

        final RawKcpTransport transport;
        final boolean offload;

        Io(RawKcpTransport transport, boolean offload) {
            this.transport = transport;
            this.offload = offload;
        }

        RawKcpConfig.Builder config() {
            assumeTrue(transport != RawKcpTransport.EPOLL || RawKcpTransport.epollAvailable(),
                "epoll transport not available here");
            return RawKcpConfig.builder().transport(transport).segmentationOffload(offload);
        }
    }

    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RawKcpEndpoint bind(RawKcpConfig config) throws InterruptedException {
        RawKcpEndpoint e = RawKcpEndpoint.bind(new InetSocketAddress(LOOPBACK, 0), config);
        closeables.add(e);
        return e;
    }

    private static RawKcpListener echo() {
        return (connection, data) -> connection.send(data.retain());
    }

    private static KcpConfig messageMode() {
        return KcpConfig.builder().mode("turbo").windows(256, 256).ackNoDelay(true).build();
    }

    @ParameterizedTest
    @EnumSource(Io.class)
    void shouldEchoMessagesWhenServerAcceptsNewConversation(Io io) throws Exception {
        RawKcpEndpoint server = bind(io.config().kcp(messageMode()).acceptor(c -> echo()).build());
        RawKcpEndpoint client = bind(io.config().kcp(messageMode()).build());
        BlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
        RawKcpConnection conn = client.open(server.localAddress(), 0x1234_5678,
            (c, data) -> echoes.add(ByteBufUtil.getBytes(data)));

        SplittableRandom random = new SplittableRandom(SEED);
        int[] sizes = {1, 100, 1376, 1377, 20_000, messageMode().maxMessageBytes()};
        for (int size : sizes) {
            byte[] msg = new byte[size];
            random.nextBytes(msg);
            assertTrue(conn.send(Unpooled.wrappedBuffer(msg)));
            byte[] back = echoes.poll(10, TimeUnit.SECONDS);
            assertNotNull(back, "no echo of " + size + " bytes, seed " + SEED);
            assertArrayEquals(msg, back, "echo of " + size + " bytes differs, seed " + SEED);
        }
        assertEquals(1, server.handler().conversationCount());
        assertEquals(0, server.handler().malformedDatagrams());
        assertTrue(conn.stats().bytesDelivered() > 0);
    }

    @ParameterizedTest
    @EnumSource(Io.class)
    void shouldDeliverStreamIntactWhenSenderIsAnotherThread(Io io) throws Exception {
        int total = 4 << 20;
        KcpConfig stream = KcpConfig.builder().mode("turbo").stream(true).windows(512, 512).ackNoDelay(true)
            .flushOnAck(true).build();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        RawKcpEndpoint server = bind(io.config().kcp(stream).acceptor(c -> (conn, data) -> {
            received.update(data.nioBuffer());
            count[0] += data.readableBytes();
            if (count[0] == total) {
                done.complete(received.digest());
            }
        }).build());
        RawKcpEndpoint client = bind(io.config().kcp(stream).build());
        BlockingQueue<Boolean> writable = new LinkedBlockingQueue<>();
        RawKcpConnection conn = client.open(server.localAddress(), 7, new RawKcpListener() {
            @Override
            public void onMessage(RawKcpConnection c, ByteBuf data) {
            }

            @Override
            public void onWritabilityChanged(RawKcpConnection c, boolean nowWritable) {
                writable.add(nowWritable);
            }
        });

        byte[] data = new byte[total];
        new SplittableRandom(SEED).nextBytes(data);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        int sent = 0;
        while (sent < total) {
            if (!conn.isWritable()) {
                writable.poll(50, TimeUnit.MILLISECONDS); // a wake-up hint; the condition is re-checked
                assertTrue(System.nanoTime() < deadline, "sender stuck at " + sent + " bytes, seed " + SEED);
                continue;
            }
            int n = Math.min(30_000, total - sent); // deliberately not a multiple of the segment size
            conn.send(Unpooled.wrappedBuffer(data, sent, n));
            sent += n;
        }
        byte[] digest = done.get(40, TimeUnit.SECONDS);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest, "stream differs, seed " + SEED);
        assertEquals(0, client.handler().droppedSends());
        assertEquals(io.transport, client.transport());
        if (!io.offload) {
            assertEquals(0, client.handler().segmentedWrites());
        } else if (EpollDatagramChannel.isSegmentedDatagramPacketSupported()) {
            assertTrue(client.handler().segmentedWrites() > 0, "a 4 MiB stream never sent a run of datagrams");
        }
    }

    @ParameterizedTest
    @EnumSource(Io.class)
    void shouldCountAndIgnoreGarbageWhenDatagramsAreMalformed(Io io) throws Exception {
        RawKcpEndpoint server = bind(io.config().kcp(messageMode()).acceptor(c -> echo()).build());
        try (DatagramChannel raw = DatagramChannel.open()) {
            raw.connect(server.localAddress());
            List<byte[]> garbage = new ArrayList<>();
            garbage.add(new byte[] {1, 2, 3}); // shorter than a conv
            garbage.add(header(9, 99, 0)); // unknown command
            garbage.add(header(9, 81, 500)); // payload runs past the datagram
            byte[] noise = new byte[700];
            new SplittableRandom(SEED).nextBytes(noise);
            noise[4] = 0; // never a valid command
            garbage.add(noise);
            for (byte[] g : garbage) {
                raw.write(ByteBuffer.wrap(g));
            }
            await(() -> server.handler().malformedDatagrams() == garbage.size(), "garbage not counted");
        }
        assertEquals(0, server.handler().conversationCount(), "garbage must not open conversations");

        RawKcpEndpoint client = bind(io.config().kcp(messageMode()).build());
        BlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
        RawKcpConnection conn = client.open(server.localAddress(), 9, (c, d) -> echoes.add(ByteBufUtil.getBytes(d)));
        conn.send(Unpooled.wrappedBuffer(new byte[] {42}));
        assertArrayEquals(new byte[] {42}, echoes.poll(10, TimeUnit.SECONDS), "server unusable after garbage");
    }

    @ParameterizedTest
    @EnumSource(Io.class)
    void shouldRefuseConversationsWhenCapIsReached(Io io) throws Exception {
        RawKcpEndpoint server = bind(io.config().kcp(messageMode()).maxConversations(1)
            .acceptor(c -> echo()).build());
        RawKcpEndpoint client = bind(io.config().kcp(messageMode()).build());
        BlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
        RawKcpConnection first = client.open(server.localAddress(), 1, (c, d) -> echoes.add(ByteBufUtil.getBytes(d)));
        RawKcpConnection second = client.open(server.localAddress(), 2, (c, d) -> fail("refused conv answered"));
        first.send(Unpooled.wrappedBuffer(new byte[] {1}));
        assertNotNull(echoes.poll(10, TimeUnit.SECONDS));
        second.send(Unpooled.wrappedBuffer(new byte[] {2}));
        await(() -> server.handler().refusedConversations() > 0, "second conversation not refused");
        assertEquals(1, server.handler().conversationCount());
    }

    @ParameterizedTest
    @EnumSource(Io.class)
    void shouldCloseConversationWhenApplicationCloses(Io io) throws Exception {
        RawKcpEndpoint client = bind(io.config().kcp(messageMode()).build());
        CompletableFuture<RawKcpConnection> closed = new CompletableFuture<>();
        RawKcpConnection conn = client.open(new InetSocketAddress(LOOPBACK, 9), 3, new RawKcpListener() {
            @Override
            public void onMessage(RawKcpConnection c, ByteBuf data) {
            }

            @Override
            public void onClosed(RawKcpConnection c) {
                closed.complete(c);
            }
        });
        assertEquals(1, client.handler().conversationCount());
        conn.close();
        assertEquals(conn, closed.get(10, TimeUnit.SECONDS));
        assertEquals(0, client.handler().conversationCount());
        assertTrue(!conn.send(Unpooled.wrappedBuffer(new byte[] {1})), "send after close must report false");
    }

    private static byte[] header(int conv, int cmd, int len) {
        ByteBuffer b = ByteBuffer.allocate(KcpConfig.OVERHEAD).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(conv).put((byte) cmd).put((byte) 0).putShort((short) 32).putInt(0).putInt(0).putInt(0).putInt(len);
        return b.array();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " within 10 s (seed " + SEED + ")");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll the condition, not a fixed wait
        }
    }
}
