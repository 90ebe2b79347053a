package io.shoal.peer.node;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's UDP port on the raw rudp profile (bare KCP, no handshake, no encryption), for benchmarks only: it lets
 * {@code bench/run peer} measure the peer over rudp without the AEAD's cost. A node gets it only when its
 * {@link PeerNodeConfig#rudpConfig()} asks for {@link RudpConfig.Profile#RAW}; nothing in the CLI does. Each
 * conversation is a {@link RawRudpChannel} with the node's usual pipeline. A dial has no handshake to wait for: it
 * "connects" at once and the BEP 3 handshake is the first thing the peer hears; conv ids are random per dial.
 */
final class RawRudpSocket implements PeerDialer.RudpConnector {
    private final RawKcpEndpoint endpoint;

    private RawRudpSocket(RawKcpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Binds {@code local} on {@code group}'s loop; accepted conversations get {@code incoming}'s pipeline. */
    static RawRudpSocket bind(EventLoopGroup group, InetSocketAddress local, RudpConfig rudp, int maxConversations,
                              ChannelHandler incoming) throws InterruptedException {
        RawRudpSocket[] self = new RawRudpSocket[1];
        RawKcpConfig config = RawKcpConfig.builder().kcp(rudp.kcp()).maxConversations(maxConversations)
            .idleTimeoutMs(rudp.idleTimeoutNs() / 1_000_000)
            .acceptor(c -> self[0] == null ? null : self[0].register(c, incoming)) // null: still binding
            .build();
        self[0] = new RawRudpSocket(RawKcpEndpoint.bind(group, local, config));
        return self[0];
    }

    @Override
    public Future<? extends Channel> connect(InetSocketAddress remote, ChannelHandler initializer) {
        int conv = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        RawRudpChannel ch = new RawRudpChannel(endpoint.localAddress());
        ch.attach(endpoint.open(remote, conv, ch));
        ch.pipeline().addLast(initializer);
        return endpoint.executor().newSucceededFuture(register(ch));
    }

    private RawRudpChannel register(RawKcpConnection c, ChannelHandler initializer) {
        RawRudpChannel ch = new RawRudpChannel(endpoint.localAddress());
        ch.attach(c);
        ch.pipeline().addLast(initializer);
        return register(ch);
    }

    private RawRudpChannel register(RawRudpChannel ch) {
        // Called on the loop, so registration completes here, before the conversation's first data is delivered.
        ((EventLoop) endpoint.executor()).register(ch);
        return ch;
    }

    void close() {
        endpoint.close();
    }
}
