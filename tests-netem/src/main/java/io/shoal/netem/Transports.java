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
import io.netty.channel.epoll.SegmentedDatagramPacket;
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
    /**
     * Datagrams one wake-up may read (several recvmmsg calls) before the loop turns to its timers: at 100k datagrams
     * per second that is a few milliseconds of traffic, so the delay line's timer is never held up longer than that.
     */
    static final int DATAGRAMS_PER_WAKEUP = 256;
    /**
     * Whether proxies and the probe read {@code UDP_GRO}-coalesced runs and write runs of equal-sized datagrams to one
     * address with one {@code UDP_SEGMENT} send: on by default with epoll where the kernel has it,
     * {@code -Dshoal.netem.gso=false} turns both off. The datagrams on the wire are the same either way.
     */
    static final boolean SEGMENTATION_OFFLOAD = EPOLL && !"false".equals(System.getProperty("shoal.netem.gso"))
        && SegmentedDatagramPacket.isSupported();
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
     * batched reads. With {@link #SEGMENTATION_OFFLOAD} the socket takes {@code UDP_GRO} runs and reads one slot per
     * call (recvmsg): a sender that writes with {@code UDP_SEGMENT} then costs one read per run of up to 64 datagrams,
     * which Netty cuts back into datagrams from the segment size the kernel reports. Netty's recvmmsg does not ask for
     * that size, so with GRO it would hand on a run as one large datagram: GRO and recvmmsg never go together here.
     * Without offload a read takes up to {@link #READ_BATCH} datagrams with one recvmmsg into one pooled buffer (each
     * handed on as a slice). Buffers come from the pooled allocator, whose per-thread caches make the read buffer and
     * the per-datagram copies cheap to take and return.
     */
    static Bootstrap datagramBootstrap(EventLoop loop) {
        Bootstrap b = new Bootstrap().group(loop).channel(datagram())
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (SEGMENTATION_OFFLOAD) {
            return b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                .option(EpollChannelOption.UDP_GRO, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES)
                    .maxMessagesPerRead(DATAGRAMS_PER_WAKEUP));
        }
        if (EPOLL) {
            return b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BATCH * MAX_DATAGRAM_BYTES)
                    .maxMessagesPerRead(DATAGRAMS_PER_WAKEUP));
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
