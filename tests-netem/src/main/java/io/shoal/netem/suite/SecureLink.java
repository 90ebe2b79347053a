package io.shoal.netem.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.ConnectionStats;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One secure-profile connection through a scenario's UDP proxy, on the Netty API: a {@link RudpServer} on loopback
 * (its accepted child gets {@code serverHandler}), a UDP proxy in front of it, and a {@link RudpClient} connected to
 * the proxy with {@code clientHandler}, the server's key pinned. Both ends use the raw workloads' engine settings
 * ({@link RudpBulkWorkload#kcp}) on a two-thread NIO group (the ends land on different loops), which
 * {@link #close()} shuts down, releasing both sockets.
 */
final class SecureLink implements AutoCloseable {
    private static final long STATS_WAIT_S = 5;
    private static final long PATH_CHANGE_WAIT_MS = 2_000;
    private static final long POLL_MS = 5;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final CompletableFuture<RudpChannel> accepted = new CompletableFuture<>();
    private Channel server;
    private RudpChannel client;

    private SecureLink() {
    }

    /** Connects through a proxy named {@code name}; fails when the handshake does not finish in the scenario's time. */
    static SecureLink open(ScenarioContext ctx, String name, boolean stream, ChannelHandler serverHandler,
                           ChannelHandler clientHandler) throws Exception {
        SecureLink link = new SecureLink();
        try {
            link.connect(ctx, name, stream, serverHandler, clientHandler);
            return link;
        } catch (Exception | Error e) {
            link.close();
            throw e;
        }
    }

    private void connect(ScenarioContext ctx, String name, boolean stream, ChannelHandler serverHandler,
                         ChannelHandler clientHandler) throws Exception {
        StaticIdentity serverId = StaticIdentity.generate(new SecureRandom());
        RudpConfig serverConfig = RudpConfig.builder().kcp(RudpBulkWorkload.kcp(stream)).identity(serverId)
            .policy(PeerKeyPolicy.acceptAny()).build();
        RudpConfig clientConfig = serverConfig.toBuilder().identity(StaticIdentity.generate(new SecureRandom()))
            .policy(PeerKeyPolicy.pinned(serverId.publicKey())).build();
        server = RudpServer.bind(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            serverConfig, new ChannelInitializer<RudpChannel>() {
                @Override
                protected void initChannel(RudpChannel ch) {
                    accepted.complete(ch);
                    ch.pipeline().addLast(serverHandler);
                }
            }).sync().channel();
        InetSocketAddress proxy = ctx.udpProxy(name, (InetSocketAddress) server.localAddress());
        client = RudpClient.connect(group, clientConfig, proxy, "server", clientHandler)
            .get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
    }

    /** The client's connected channel. */
    RudpChannel client() {
        return client;
    }

    /** The client's engine counters, read on its loop. */
    KcpStats clientKcp() throws Exception {
        return client.eventLoop().submit(() -> client.stats().kcp()).get(STATS_WAIT_S, TimeUnit.SECONDS);
    }

    /** The server side's connection statistics (path changes: the rebindings it followed), read on its loop. */
    ConnectionStats serverStats() throws Exception {
        RudpChannel ch = accepted.get(STATS_WAIT_S, TimeUnit.SECONDS);
        return ch.eventLoop().submit(ch::stats).get(STATS_WAIT_S, TimeUnit.SECONDS);
    }

    /**
     * Under a rebinding profile, the proof the server followed it: at least one validated path change. Without it
     * the transfer may have ended before the rebinding took effect, which proves nothing; report that as a failure.
     * The validation (challenge and echo) runs beside the data, so its last round trip may finish just after the
     * stream did: wait for it up to {@link #PATH_CHANGE_WAIT_MS}.
     */
    String pathChangesChecked(ScenarioContext ctx) throws Exception {
        long changes = serverStats().pathChanges();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATH_CHANGE_WAIT_MS);
        while (ctx.profile().rebinds() && changes < 1 && System.nanoTime() < deadlineNs) {
            Thread.sleep(POLL_MS);
            changes = serverStats().pathChanges();
        }
        if (ctx.profile().rebinds() && changes < 1) {
            throw new IntegrityException("the server saw no path change: the rebinding was not exercised");
        }
        return "; server path changes " + changes;
    }

    /**
     * Closes both sockets first, so their endpoints release every buffer the engines hold (shutting the group down
     * alone leaves them to the garbage collector, which the leak detector reports), then the group.
     */
    @Override
    public void close() throws InterruptedException {
        if (client != null) {
            client.parent().close().await(STATS_WAIT_S, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close().await(STATS_WAIT_S, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /** A handler that hands each inbound buffer to {@code sink} and releases it. */
    static ChannelHandler reading(Consumer<ByteBuf> sink) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                try {
                    sink.accept(b);
                } finally {
                    b.release();
                }
            }
        };
    }
}
