package io.shoal.rudp.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * The socket options an rudp socket (raw profile: {@link RawKcpEndpoint}; secure profile: the {@code RudpServer} and
 * {@code RudpClient} bootstraps) is bound with, per transport. Kept in one place so the sizes that matter for
 * loopback speed, and the reasons for them, are shared by both profiles.
 */
public final class DatagramSocketOptions {
    /**
     * Socket buffers sized for bursts of a 2048-segment window (2.8 MB of 1400-byte datagrams); the kernel caps
     * them at {@code net.core.rmem_max}/{@code wmem_max} (often 4 MiB) and accounts for them doubled.
     */
    static final int SOCKET_BUFFER_BYTES = 8 << 20;
    /** NIO reads one datagram per system call; this bounds one read batch (and so the ACK delay it adds). */
    static final int NIO_DATAGRAMS_PER_READ = 64;
    /** recvmmsg slots per system call when datagrams are not coalesced. */
    static final int EPOLL_SLOTS_PER_READ = 64;
    /** recvmmsg slots per system call when each slot may hold a GRO-coalesced run of up to 64 KiB. */
    static final int GRO_SLOTS_PER_READ = 8;
    /** Largest UDP payload, and so the largest GRO-coalesced read. */
    static final int MAX_UDP_PAYLOAD = 65_535;
    /**
     * Datagrams one read batch may deliver before {@code channelReadComplete} drives the engines: bounds how long
     * ACKs wait behind a flood of data (about 350 KB of 1400-byte datagrams).
     */
    static final int EPOLL_DATAGRAMS_PER_READ = 256;

    private DatagramSocketOptions() {
    }

    /** Sets the options for {@code transport} (resolved) on {@code bootstrap}. */
    static void apply(Bootstrap bootstrap, RawKcpTransport transport, RawKcpConfig config) {
        apply(bootstrap, transport, config.kcp().mtu(), config.segmentationOffload());
    }

    /**
     * Sets the options for {@code transport} (resolved, {@code EPOLL} or {@code NIO}) on {@code bootstrap}: socket
     * buffers, and read batches sized for datagrams of up to {@code mtuBytes}; on epoll with {@code gro},
     * {@code UDP_GRO}-coalesced reads through {@code recvmmsg} (Netty 4.2's {@code recvmmsg} path passes no control
     * buffer, so such a run arrives as one datagram without its segment size: only for payloads that may be
     * concatenated, like KCP segments; see {@link #applySplitGro} for datagrams that must stay whole).
     */
    public static void apply(Bootstrap bootstrap, RawKcpTransport transport, int mtuBytes, boolean gro) {
        int datagramBytes = Math.max(2048, mtuBytes);
        bootstrap.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        if (transport != RawKcpTransport.EPOLL) {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(datagramBytes).maxMessagesPerRead(NIO_DATAGRAMS_PER_READ));
            return;
        }
        // Each recvmmsg slot must hold the largest read: a whole coalesced run with GRO, else one datagram.
        int slotBytes = gro ? MAX_UDP_PAYLOAD : datagramBytes;
        int slots = gro ? GRO_SLOTS_PER_READ : EPOLL_SLOTS_PER_READ;
        bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes)
            .option(ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(slotBytes * slots).maxMessagesPerRead(EPOLL_DATAGRAMS_PER_READ));
        if (gro) {
            // Not every kernel has UDP_GRO; Netty logs a failed option and the socket reads datagram by datagram.
            bootstrap.option(EpollChannelOption.UDP_GRO, true);
        }
    }

    /**
     * Like {@link #apply} with {@code gro}, for datagrams that must reach the handler one by one (AEAD-sealed ones):
     * on epoll, {@code UDP_GRO} with one 64 KiB slot per read. With a single slot Netty 4.2 reads with
     * {@code recvmsg}, whose control buffer carries the run's segment size, and splits the run into one
     * {@code DatagramPacket} per datagram (retained slices of the read buffer): the kernel keeps a GSO burst
     * whole from sender to socket, and a system call returns up to 64 KiB. Where the kernel has no {@code UDP_GRO},
     * Netty logs the failed option and reads one datagram per call. A run Netty ever handed over unsplit would be
     * longer than any datagram the reader accepts, so it is counted and dropped, never misread.
     */
    public static void applySplitGro(Bootstrap bootstrap, RawKcpTransport transport, int mtuBytes) {
        apply(bootstrap, transport, mtuBytes, false);
        if (transport != RawKcpTransport.EPOLL) {
            return;
        }
        bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD)
            .option(ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(MAX_UDP_PAYLOAD).maxMessagesPerRead(EPOLL_DATAGRAMS_PER_READ))
            .option(EpollChannelOption.UDP_GRO, true);
    }
}
