package io.shoal.rudp.perf;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.DropReason;
import io.shoal.rudp.session.EndpointStats;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The receiving side of {@code shoal perf}: a socket of the settings' {@link PerfProfile} that accepts any client,
 * counts the DATA bytes its application receives, reports progress once a second and a summary after END. Several
 * clients may run at once (up to {@value #MAX_CLIENTS}); each is independent. The secure profile's server has a fresh
 * static key each run and accepts any client key. Thread-safe; {@link #close()} stops it.
 */
public final class PerfServer implements AutoCloseable {
    static final int MAX_CLIENTS = 64;
    /** A client that vanishes without END is dropped after this long without input. */
    static final long IDLE_TIMEOUT_MS = 15_000;

    private final RawKcpEndpoint raw;
    private final EventLoopGroup group;
    private final Channel secure;
    private final RawKcpTransport transport;

    private PerfServer(RawKcpEndpoint raw, EventLoopGroup group, Channel secure, RawKcpTransport transport) {
        this.raw = raw;
        this.group = group;
        this.secure = secure;
        this.transport = transport;
    }

    /**
     * Binds {@code local} and starts serving. {@code log} receives one line per finished or failed test, on the
     * socket's event loop.
     */
    public static PerfServer start(InetSocketAddress local, PerfSettings settings, Consumer<String> log)
        throws InterruptedException {
        if (settings.profile() == PerfProfile.RAW) {
            RawKcpConfig config = settings.socketConfig()
                .maxConversations(MAX_CLIENTS)
                .idleTimeoutMs(IDLE_TIMEOUT_MS)
                .acceptor(connection -> {
                    RawPerfLink link = new RawPerfLink();
                    return link.bind(connection, new PerfServerSession(link, log));
                })
                .build();
            RawKcpEndpoint endpoint = RawKcpEndpoint.bind(local, config);
            return new PerfServer(endpoint, null, null, endpoint.transport());
        }
        RawKcpTransport transport = settings.transport().resolve();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-perf", true),
            transport.ioHandlerFactory());
        try {
            RudpConfig config = settings.secureConfig(StaticIdentity.generate(new SecureRandom())).toBuilder()
                .maxConnections(MAX_CLIENTS).idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS)).build();
            Channel channel = RudpServer.bind(group, local, config, new ChannelInitializer<RudpChannel>() {
                @Override
                protected void initChannel(RudpChannel ch) {
                    ch.pipeline().addLast(new SecurePerfLink(link -> new PerfServerSession(link, log)));
                }
            }).sync().channel();
            return new PerfServer(null, group, channel, transport);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return raw != null ? raw.localAddress() : (InetSocketAddress) secure.localAddress();
    }

    /** The transport the socket runs on (never {@code AUTO}). */
    public RawKcpTransport transport() {
        return transport;
    }

    /** Datagrams dropped as malformed (for the secure profile also: failing authentication) so far. */
    public long malformedDatagrams() throws InterruptedException {
        if (raw != null) {
            return raw.handler().malformedDatagrams();
        }
        try {
            EndpointStats s = secure.eventLoop().submit(() -> RudpServer.codec(secure).stats()).get();
            return s.drops(DropReason.MALFORMED) + s.drops(DropReason.AUTH_FAILED) + s.drops(DropReason.BAD_PAYLOAD);
        } catch (ExecutionException e) {
            throw new IllegalStateException("perf server stats", e.getCause());
        }
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.close();
            return;
        }
        secure.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
