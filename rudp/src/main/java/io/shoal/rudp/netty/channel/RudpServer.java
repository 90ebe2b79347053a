package io.shoal.rudp.netty.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
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
    private RudpServer() {
    }

    /** Binds on NIO; the future's channel has the codec in its pipeline ({@link #codec(Channel)}). */
    public static ChannelFuture bind(final EventLoopGroup group, final InetSocketAddress local,
                                     final RudpConfig config, final ChannelHandler childHandler) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new RudpCodec(config, true, childHandler)).bind(local);
    }

    /** @return the codec of a channel bound by {@link #bind} or {@link RudpClient#bindClient} */
    public static RudpCodec codec(final Channel datagramChannel) {
        return datagramChannel.pipeline().get(RudpCodec.class);
    }
}
