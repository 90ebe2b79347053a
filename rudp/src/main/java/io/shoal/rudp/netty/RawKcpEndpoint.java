package io.shoal.rudp.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A bound UDP socket speaking the raw profile: an NIO {@link NioDatagramChannel} with a {@link RawKcpHandler}.
 * Thread-safe. {@link #close()} closes the socket (ending every conversation) and, if the endpoint made its own
 * event loop, shuts that down too.
 */
public final class RawKcpEndpoint implements AutoCloseable {
    /** Socket buffers sized for bursts of a 2048-segment window; the kernel caps them at its own maximum. */
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final int MAX_DATAGRAMS_PER_READ = 64;

    private final Channel channel;
    private final RawKcpHandler handler;
    private final EventLoopGroup ownedGroup;

    private RawKcpEndpoint(Channel channel, RawKcpHandler handler, EventLoopGroup ownedGroup) {
        this.channel = channel;
        this.handler = handler;
        this.ownedGroup = ownedGroup;
    }

    /** Binds {@code local} on a new single-thread event loop that this endpoint owns. */
    public static RawKcpEndpoint bind(InetSocketAddress local, RawKcpConfig config) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-rudp", true),
            NioIoHandler.newFactory());
        try {
            return bind(group, local, config, group);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Binds {@code local} on one loop of {@code group}, which the caller keeps owning. */
    public static RawKcpEndpoint bind(EventLoopGroup group, InetSocketAddress local, RawKcpConfig config)
        throws InterruptedException {
        return bind(group, local, config, null);
    }

    private static RawKcpEndpoint bind(EventLoopGroup group, InetSocketAddress local, RawKcpConfig config,
                                       EventLoopGroup owned) throws InterruptedException {
        RawKcpHandler handler = new RawKcpHandler(config);
        int datagramBytes = Math.max(2048, config.kcp().mtu());
        Channel ch = new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(datagramBytes).maxMessagesPerRead(MAX_DATAGRAMS_PER_READ))
            .handler(handler)
            .bind(local)
            .sync()
            .channel();
        return new RawKcpEndpoint(ch, handler, owned);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public RawKcpHandler handler() {
        return handler;
    }

    /** The event loop of this socket: every connection's listener runs on it. */
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    /** See {@link RawKcpHandler#open}. */
    public RawKcpConnection open(InetSocketAddress remote, int conv, RawKcpListener listener) {
        return handler.open(remote, conv, listener);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
