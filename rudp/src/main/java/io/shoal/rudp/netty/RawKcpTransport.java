package io.shoal.rudp.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * Which Netty transport a raw-profile socket runs on. Behaviour is the same on each; only the system calls differ.
 *
 * <ul>
 *   <li>{@link #EPOLL}: Linux epoll, where the native library loads. Reads many datagrams per system call
 *       ({@code recvmmsg}, plus {@code UDP_GRO} coalescing), writes many per call ({@code sendmmsg}, plus
 *       {@code UDP_SEGMENT} segmentation offload), and has sub-millisecond timers.</li>
 *   <li>{@link #NIO}: the JDK selector; one system call per datagram, timers of about 1 ms. Works everywhere.</li>
 *   <li>{@link #AUTO}: epoll when it is available, NIO otherwise. The default.</li>
 * </ul>
 */
public enum RawKcpTransport {
    AUTO, NIO, EPOLL;

    /** True when the epoll native library loaded on this machine. */
    public static boolean epollAvailable() {
        return Epoll.isAvailable();
    }

    /**
     * The concrete transport: {@code AUTO} becomes {@code EPOLL} or {@code NIO}.
     *
     * @throws IllegalStateException for {@code EPOLL} where epoll is not available (the message says why)
     */
    public RawKcpTransport resolve() {
        if (this == AUTO) {
            return epollAvailable() ? EPOLL : NIO;
        }
        if (this == EPOLL && !epollAvailable()) {
            Throwable cause = Epoll.unavailabilityCause();
            throw new IllegalStateException("the epoll transport is not available here: "
                + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
        return this;
    }

    /** The concrete transport a caller's event loop group runs: epoll for epoll loops, NIO otherwise. */
    public static RawKcpTransport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup && epollAvailable()
            && ((IoEventLoopGroup) group).isIoType(EpollIoHandler.class)) {
            return EPOLL;
        }
        return NIO;
    }

    /** I/O handler factory for an event loop group of this (resolved) transport. */
    public IoHandlerFactory ioHandlerFactory() {
        return resolve() == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** Datagram channel class of this (resolved) transport. */
    public Class<? extends DatagramChannel> channelClass() {
        return resolve() == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** The lower-case name used on command lines and in reports. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
