package io.shoal.rudp.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A bound UDP socket speaking the raw profile: a Netty datagram channel (epoll or NIO, see {@link RawKcpTransport})
 * with a {@link RawKcpHandler}. Thread-safe. {@link #close()} closes the socket (ending every conversation) and, if
 * the endpoint made its own event loop, shuts that down too.
 */
public final class RawKcpEndpoint implements AutoCloseable {
    private final Channel channel;
    private final RawKcpHandler handler;
    private final EventLoopGroup ownedGroup;
    private final RawKcpTransport transport;

    private RawKcpEndpoint(Channel channel, RawKcpHandler handler, EventLoopGroup ownedGroup,
                           RawKcpTransport transport) {
        this.channel = channel;
        this.handler = handler;
        this.ownedGroup = ownedGroup;
        this.transport = transport;
    }

    /**
     * Binds {@code local} on a new single-thread event loop that this endpoint owns, of the transport
     * {@link RawKcpConfig#transport()} resolves to.
     *
     * @throws IllegalStateException if the config asks for epoll where it is not available
     */
    public static RawKcpEndpoint bind(InetSocketAddress local, RawKcpConfig config) throws InterruptedException {
        RawKcpTransport transport = config.transport().resolve();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-rudp", true),
            transport.ioHandlerFactory());
        try {
            return bind(group, local, config, transport, group);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * Binds {@code local} on one loop of {@code group}, which the caller keeps owning. The channel is epoll when
     * {@code group} runs epoll loops and NIO otherwise; {@link RawKcpConfig#transport()} is not consulted.
     */
    public static RawKcpEndpoint bind(EventLoopGroup group, InetSocketAddress local, RawKcpConfig config)
        throws InterruptedException {
        return bind(group, local, config, RawKcpTransport.of(group), null);
    }

    private static RawKcpEndpoint bind(EventLoopGroup group, InetSocketAddress local, RawKcpConfig config,
                                       RawKcpTransport transport, EventLoopGroup owned) throws InterruptedException {
        RawKcpHandler handler = new RawKcpHandler(config);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass()).handler(handler);
        DatagramSocketOptions.apply(bootstrap, transport, config);
        Channel ch = bootstrap.bind(local).sync().channel();
        return new RawKcpEndpoint(ch, handler, owned, transport);
    }

    /** The transport this socket runs on ({@code EPOLL} or {@code NIO}, never {@code AUTO}). */
    public RawKcpTransport transport() {
        return transport;
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
