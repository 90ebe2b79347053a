package io.shoal.rudp.netty.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;

/**
 * Client bootstraps: {@link #bindClient} binds a socket that only initiates (many connections may share it through
 * {@link RudpCodec#connect}); {@link #connect} binds a socket for one connection, which closes the socket when the
 * connection's channel closes.
 */
public final class RudpClient {
    private RudpClient() {
    }

    /** Binds a client-only socket on an ephemeral port (epoll for an epoll group, NIO otherwise). */
    public static ChannelFuture bindClient(final EventLoopGroup group, final RudpConfig config) {
        return RudpServer.bootstrap(group, config, new RudpCodec(config, false, null)).bind(new InetSocketAddress(0));
    }

    /**
     * Connects to {@code remote} over a socket of its own; the future completes with the established child channel
     * (with {@code handler} in its pipeline) or fails with {@link RudpHandshakeException}.
     */
    public static Future<RudpChannel> connect(final EventLoopGroup group, final RudpConfig config,
                                              final InetSocketAddress remote, final String peerName,
                                              final ChannelHandler handler) {
        final Promise<RudpChannel> result = group.next().newPromise();
        bindClient(group, config).addListener((ChannelFuture bound) -> {
            if (!bound.isSuccess()) {
                result.tryFailure(bound.cause());
                return;
            }
            final Channel socket = bound.channel();
            RudpServer.codec(socket).connect(remote, peerName, handler).addListener((Future<RudpChannel> f) -> {
                if (f.isSuccess()) {
                    // Closed only once the connection has really ended (a graceful close runs after the channel closed),
                    // and on a later turn of the loop so the last packets leave first.
                    f.getNow().closeReason().addListener(x -> socket.eventLoop().execute(socket::close));
                    result.trySuccess(f.getNow());
                } else {
                    socket.close();
                    result.tryFailure(f.cause());
                }
            });
        });
        return result;
    }
}
