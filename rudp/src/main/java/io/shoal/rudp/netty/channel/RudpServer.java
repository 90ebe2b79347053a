package io.shoal.rudp.netty.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.shoal.rudp.netty.DatagramSocketOptions;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;

/**
 * Binds a secure rudp server socket: a {@code DatagramChannel} with a {@link RudpCodec} that accepts connections
 * and puts {@code childHandler} (typically a {@code ChannelInitializer<RudpChannel>}) on each child channel. Close
 * the returned channel to stop; its children close with {@code ENDPOINT_CLOSED}.
 */
public final class RudpServer {
    private RudpServer() {
    }

    /**
     * Binds on one loop of {@code group}: an epoll socket when {@code group} runs epoll loops (batched reads and
     * writes, segmentation offload), NIO otherwise. The future's channel has the codec in its pipeline
     * ({@link #codec(Channel)}).
     */
    public static ChannelFuture bind(final EventLoopGroup group, final InetSocketAddress local,
                                     final RudpConfig config, final ChannelHandler childHandler) {
        return bootstrap(group, config, new RudpCodec(config, true, childHandler)).bind(local);
    }

    /**
     * A datagram bootstrap of {@code group}'s transport with the socket sized for bulk transfer, with the raw
     * shell's options ({@link DatagramSocketOptions}): large kernel buffers (a burst of a whole window must not
     * overflow them) and batched reads ({@code recvmmsg} on epoll).
     */
    static Bootstrap bootstrap(final EventLoopGroup group, final RudpConfig config, final RudpCodec codec) {
        final RawKcpTransport transport = RawKcpTransport.of(group);
        final Bootstrap b = new Bootstrap().group(group).channel(transport.channelClass()).handler(codec);
        // UDP_GRO reads split back into datagrams (Netty's single-slot recvmsg path): a sealed datagram must reach the
        // codec whole, where the raw profile's recvmmsg reads may concatenate a run (KCP segments tolerate that).
        if (config.segmentationOffload()) {
            DatagramSocketOptions.applySplitGro(b, transport, config.mtuBytes());
        } else {
            DatagramSocketOptions.apply(b, transport, config.mtuBytes(), false);
        }
        return b;
    }

    /** @return the codec of a channel bound by {@link #bind} or {@link RudpClient#bindClient} */
    public static RudpCodec codec(final Channel datagramChannel) {
        return datagramChannel.pipeline().get(RudpCodec.class);
    }
}
