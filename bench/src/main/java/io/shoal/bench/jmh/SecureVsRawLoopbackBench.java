package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Bulk goodput over 127.0.0.1 in one JVM, the raw profile (bare KCP) against the secure profile (Noise handshake,
 * ChaCha20-Poly1305 on every datagram, child channels), same engine settings (turbo, stream mode, 512-segment windows,
 * BBR, 1400-byte datagrams, the same transport: epoll with segmentation offload where it loads): one op moves 10^7 bytes from client to server and waits until all arrived, so
 * ops/s x 10 = MB/s. The target is secure >= 80% of raw in the same run.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SecureVsRawLoopbackBench {
    static final int OP_BYTES = 10_000_000;
    static final int CHUNK_BYTES = 16 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Param({"raw", "secure"})
    public String profile;

    private final AtomicLong received = new AtomicLong();
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private long expected;
    private EventLoopGroup group;
    private RawKcpEndpoint rawServer;
    private RawKcpEndpoint rawClient;
    private RawKcpConnection rawConnection;
    private Channel secureServer;
    private RudpChannel secureConnection;

    static KcpConfig kcp() {
        return KcpConfig.builder().mode("turbo").stream(true).windows(512, 512).ackNoDelay(true).flushOnAck(true)
                .congestionControl(CongestionControl.BBR).mtu(1400).build();
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if ("raw".equals(profile)) {
            rawServer = RawKcpEndpoint.bind(new InetSocketAddress(LOOPBACK, 0), RawKcpConfig.builder().kcp(kcp())
                    .acceptor(c -> (conn, data) -> received.addAndGet(data.readableBytes())).build());
            rawClient = RawKcpEndpoint.bind(new InetSocketAddress(LOOPBACK, 0),
                    RawKcpConfig.builder().kcp(kcp()).build());
            rawConnection = rawClient.open(rawServer.localAddress(), 0x5EC0, (conn, data) -> { });
            return;
        }
        // The transport the raw endpoints resolve to (epoll where it loads), so both profiles get the same I/O.
        group = new MultiThreadIoEventLoopGroup(2, RawKcpTransport.AUTO.ioHandlerFactory());
        final StaticIdentity serverId = StaticIdentity.generate(new SecureRandom());
        final RudpConfig server = RudpConfig.builder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                .kcp(kcp()).mtuBytes(1400).build();
        secureServer = RudpServer.bind(group, new InetSocketAddress(LOOPBACK, 0), server, new Counter()).sync()
                .channel();
        final RudpConfig client = server.toBuilder().identity(StaticIdentity.generate(new SecureRandom()))
                .policy(PeerKeyPolicy.pinned(serverId.publicKey())).build();
        final int port = ((InetSocketAddress) secureServer.localAddress()).getPort();
        secureConnection = RudpClient.connect(group, client, new InetSocketAddress(LOOPBACK, port), "server",
                new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (rawClient != null) {
            rawClient.close();
            rawServer.close();
        }
        if (group != null) {
            secureConnection.close().sync();
            secureServer.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Moves {@link #OP_BYTES} and waits for their arrival. */
    @Benchmark
    public long transfer() {
        expected += OP_BYTES;
        for (int sent = 0; sent < OP_BYTES; sent += CHUNK_BYTES) {
            final ByteBuf b = Unpooled.wrappedBuffer(chunk, 0, Math.min(CHUNK_BYTES, OP_BYTES - sent));
            if (rawConnection != null) {
                while (!rawConnection.isWritable()) {
                    LockSupport.parkNanos(20_000);
                }
                rawConnection.send(b);
            } else {
                while (!secureConnection.isWritable()) {
                    LockSupport.parkNanos(20_000);
                }
                secureConnection.writeAndFlush(b, secureConnection.voidPromise());
            }
        }
        while (received.get() < expected) {
            LockSupport.parkNanos(20_000);
        }
        return received.get();
    }

    /** Counts the bytes each accepted connection reads. */
    @ChannelHandler.Sharable
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf b = (ByteBuf) msg;
            received.addAndGet(b.readableBytes());
            b.release();
        }
    }
}
