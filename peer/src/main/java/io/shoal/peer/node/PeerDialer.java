package io.shoal.peer.node;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Outgoing connections: secure rudp first from the node's own UDP socket (so the peer sees our port), with a short
 * timeout, then TCP, as libtorrent does with uTP. A rudp handshake that completes after the fallback started is
 * closed. Runs on the node's event loop only.
 */
final class PeerDialer {
    private static final int TCP_CONNECT_TIMEOUT_MS = 5000;

    private final PeerNode node;
    private final EventLoop loop;
    private final RudpConnector rudp;
    private final Set<PeerTransport> transports;
    private final long rudpTimeoutMs;
    private final Map<Target, Integer> inFlight = new HashMap<>();

    /** What a dial is for: a torrent's connections, or a magnet's metadata fetch. Called on the event loop. */
    interface Target {
        /** The pipeline of an outgoing connection over {@code transport}. */
        ChannelHandler sessionInitializer(PeerTransport transport);

        /** Every transport failed. */
        void dialFailed(InetSocketAddress address);

        /** A transport connected; {@link #connectionEnded} follows when that channel closes. */
        void dialConnected(InetSocketAddress address);

        void connectionEnded(InetSocketAddress address);
    }

    /** Opens an rudp connection from the node's UDP socket: secure ({@code RudpCodec}) or, in benchmarks, raw. */
    @FunctionalInterface
    interface RudpConnector {
        /** Called on the event loop; the future completes on it with the established channel. */
        Future<? extends Channel> connect(InetSocketAddress remote, ChannelHandler initializer);
    }

    /** @param rudp connects from the node's UDP socket, or null when rudp is off */
    PeerDialer(PeerNode node, EventLoop loop, RudpConnector rudp) {
        this.node = node;
        this.loop = loop;
        this.rudp = rudp;
        this.transports = node.config().transports();
        this.rudpTimeoutMs = node.config().rudpConnectTimeoutMs();
    }

    int inFlight(Target target) {
        return inFlight.getOrDefault(target, 0);
    }

    void dial(Target target, InetSocketAddress address) {
        inFlight.merge(target, 1, Integer::sum);
        if (rudp != null && transports.contains(PeerTransport.RUDP)) {
            dialRudp(target, address);
        } else {
            dialTcp(target, address);
        }
    }

    private void dialRudp(Target target, InetSocketAddress address) {
        boolean[] fellBack = new boolean[1];
        Future<? extends Channel> f = rudp.connect(address, target.sessionInitializer(PeerTransport.RUDP));
        Runnable fallback = () -> {
            if (!fellBack[0]) {
                fellBack[0] = true;
                if (transports.contains(PeerTransport.TCP)) {
                    dialTcp(target, address);
                } else {
                    done(target, address, null);
                }
            }
        };
        io.netty.util.concurrent.ScheduledFuture<?> timer = loop.schedule(fallback, rudpTimeoutMs,
            TimeUnit.MILLISECONDS);
        f.addListener(x -> {
            if (f.isSuccess()) {
                if (fellBack[0]) {
                    f.getNow().close(); // TCP is being tried (or won) already
                } else {
                    timer.cancel(false);
                    fellBack[0] = true;
                    done(target, address, f.getNow());
                }
            } else {
                timer.cancel(false);
                fallback.run();
            }
        });
    }

    private void dialTcp(Target target, InetSocketAddress address) {
        ChannelFuture f = new Bootstrap().group(loop).channel(node.io().socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TCP_CONNECT_TIMEOUT_MS)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerNode.TCP_WATER_MARK)
            .handler(target.sessionInitializer(PeerTransport.TCP))
            .connect(address);
        f.addListener((ChannelFuture c) -> done(target, address, c.isSuccess() ? c.channel() : null));
    }

    /** @param winner the connected channel, or null when every transport failed */
    private void done(Target target, InetSocketAddress address, Channel winner) {
        inFlight.computeIfPresent(target, (t, n) -> n > 1 ? n - 1 : null);
        if (winner == null) {
            target.dialFailed(address);
        } else {
            // Only the winning channel reports its end: a rudp handshake closed because TCP won says nothing.
            target.dialConnected(address);
            winner.closeFuture().addListener(x -> target.connectionEnded(address));
        }
    }
}
