package io.shoal.netem;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The proxies' socket transport: Linux epoll when its native library loads (its timers are timerfd, precise to
 * microseconds where NIO's select rounds to milliseconds, and it writes batches of datagrams with one sendmmsg), else
 * NIO. One choice per process; {@code -Dshoal.netem.nio=true} forces NIO.
 */
final class Transports {
    static final boolean EPOLL = !Boolean.getBoolean("shoal.netem.nio") && Epoll.isAvailable();
    /** Largest datagram read whole: reads never truncate (the IPv4 UDP payload limit is 65507 bytes). */
    static final int MAX_DATAGRAM_BYTES = 65536;
    /**
     * Datagrams one epoll read takes with a single recvmmsg: the read buffer holds this many slots of
     * {@link #MAX_DATAGRAM_BYTES}. At 100k datagrams per second one wake-up then costs one system call per 16
     * datagrams instead of one per datagram.
     */
    static final int READ_BATCH = 16;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private Transports() {
    }

    static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    static Class<? extends DatagramChannel> datagram() {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * A bootstrap for a proxy's UDP socket on {@code loop}: 4 MiB socket buffers, whole datagrams, and with epoll
     * batched reads (recvmmsg into one pooled buffer of {@link #READ_BATCH} slots, each handed on as a slice).
     * Buffers come from the pooled allocator, whose per-thread caches make the 1 MiB read buffer and the per-datagram
     * copies cheap to take and return.
     */
    static Bootstrap datagramBootstrap(EventLoop loop) {
        Bootstrap b = new Bootstrap().group(loop).channel(datagram())
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (EPOLL) {
            return b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BATCH * MAX_DATAGRAM_BYTES));
        }
        return b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES));
    }

    static Class<? extends ServerChannel> serverSocket() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socket() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** "epoll" or "nio", for reports. */
    static String name() {
        return EPOLL ? "epoll" : "nio";
    }
}
