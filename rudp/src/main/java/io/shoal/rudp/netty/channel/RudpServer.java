package io.shoal.rudp.netty.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;

/**
 * Binds a secure rudp server socket: a {@code DatagramChannel} with a {@link RudpCodec} that accepts connections
 * and puts {@code childHandler} (typically a {@code ChannelInitializer<RudpChannel>}) on each child channel. Close
 * the returned channel to stop; its children close with {@code ENDPOINT_CLOSED}.
 */
public final class RudpServer {
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final int DATAGRAMS_PER_READ = 64;

    private RudpServer() {
    }

    /** Binds on NIO; the future's channel has the codec in its pipeline ({@link #codec(Channel)}). */
    public static ChannelFuture bind(final EventLoopGroup group, final InetSocketAddress local,
                                     final RudpConfig config, final ChannelHandler childHandler) {
        return bootstrap(group, config, new RudpCodec(config, true, childHandler)).bind(local);
    }

    /**
     * A NIO datagram bootstrap with the socket sized for bulk transfer: 4 MiB kernel buffers (a burst of a whole
     * window must not overflow them) and reads of up to 64 datagrams into fixed buffers one datagram MTU large.
     */
    static Bootstrap bootstrap(final EventLoopGroup group, final RudpConfig config, final RudpCodec codec) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.max(2048,
                        config.mtuBytes())).maxMessagesPerRead(DATAGRAMS_PER_READ))
                .handler(codec);
    }

    /** @return the codec of a channel bound by {@link #bind} or {@link RudpClient#bindClient} */
    public static RudpCodec codec(final Channel datagramChannel) {
        return datagramChannel.pipeline().get(RudpCodec.class);
    }
}
