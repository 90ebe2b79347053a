package io.shoal.peer.node;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.rudp.netty.RawKcpTransport;

/**
 * The Netty transport of a node's one event loop and the TCP channel classes that go with it. Every channel of the
 * node (TCP listener and connections, the UDP socket and its rudp children) is registered on that loop, so they must
 * share one transport: epoll where its native library loads (the UDP socket then reads with {@code recvmmsg} and
 * writes runs of datagrams with {@code UDP_SEGMENT}/{@code sendmmsg}, one system call for many datagrams), NIO
 * otherwise (one system call per datagram).
 */
record NodeIo(RawKcpTransport transport) {
    /** @param requested AUTO, EPOLL or NIO; resolved here (EPOLL where it is missing throws) */
    static NodeIo of(RawKcpTransport requested) {
        return new NodeIo(requested.resolve());
    }

    /** A group of one event loop of this transport, on daemon threads named {@code shoal-peer}. */
    EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-peer", true),
            transport.ioHandlerFactory());
    }

    Class<? extends ServerChannel> serverChannel() {
        return transport == RawKcpTransport.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends SocketChannel> socketChannel() {
        return transport == RawKcpTransport.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
