package io.shoal.rudp.netty.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.session.RudpConfig;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared pieces of the loopback tests: configurations, handlers, bounded waits (no sleeps). */
final class LoopbackRudp {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final StaticIdentity SERVER_IDENTITY = StaticIdentity.generate(new SecureRandom());

    private LoopbackRudp() {
    }

    static EventLoopGroup group() {
        return Io.NIO.group();
    }

    /** The socket set-ups the codec must behave the same on, as the raw shell's loopback tests. */
    enum Io {
        NIO(RawKcpTransport.NIO, false),
        EPOLL(RawKcpTransport.EPOLL, true),
        EPOLL_NO_OFFLOAD(RawKcpTransport.EPOLL, false);

        final RawKcpTransport transport;
        final boolean offload;

        Io(final RawKcpTransport transport, final boolean offload) {
            this.transport = transport;
            this.offload = offload;
        }

        /** A two-loop group of this transport; skips the test where epoll does not load. */
        EventLoopGroup group() {
            assumeTrue(transport != RawKcpTransport.EPOLL || RawKcpTransport.epollAvailable(),
                    "epoll transport not available here");
            return new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
        }

        RudpConfig apply(final RudpConfig config) {
            return config.toBuilder().segmentationOffload(offload).build();
        }
    }

    static RudpConfig serverConfig(final boolean stream) {
        return RudpConfig.builder().identity(SERVER_IDENTITY).policy(PeerKeyPolicy.acceptAny())
                .kcp(RudpConfig.builder().build().kcp().toBuilder().stream(stream).windows(256, 256).build())
                .build();
    }

    static RudpConfig clientConfig(final boolean stream) {
        return serverConfig(stream).toBuilder().identity(StaticIdentity.generate(new SecureRandom()))
                .policy(PeerKeyPolicy.pinned(SERVER_IDENTITY.publicKey())).build();
    }

    static Channel bindServer(final EventLoopGroup group, final RudpConfig config, final ChannelHandler child)
            throws InterruptedException {
        return RudpServer.bind(group, new InetSocketAddress(LOOPBACK, 0), config, child).sync().channel();
    }

    static InetSocketAddress address(final Channel server) {
        return new InetSocketAddress(LOOPBACK, ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** Echoes every buffer back. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Collects every byte read (thread-safe reads of the total). */
    static final class Collect extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile long total;
        volatile Object lastEvent;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf b = (ByteBuf) msg;
            try {
                final byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                synchronized (bytes) {
                    bytes.write(a, 0, a.length);
                }
                total += a.length;
            } finally {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
            lastEvent = evt;
            ctx.fireUserEventTriggered(evt);
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll the condition, not a fixed wait
        }
    }
}
