package io.shoal.tracker.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.shoal.tracker.registry.SwarmRegistry;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A running tracker: HTTP (TCP) and UDP on the same port number, one {@link SwarmRegistry} confined to one event-loop
 * thread together with every channel, so the sans-IO services need no locks. Peers are expired by a sweep of a slice
 * of the registry every second. {@link #close()} stops both listeners and the thread and frees every buffer.
 */
public final class TrackerServer implements AutoCloseable {
    private static final int UDP_DATAGRAM_BYTES = 1500;
    private static final int UDP_BATCH = 32;
    private static final int SWEEP_SLOTS_PER_SEC = 8192;
    private static final int IDLE_HTTP_SEC = 60;

    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel http;
    private final SwarmRegistry registry;
    private final HttpTrackerService httpService;
    private final TrackerStats stats;
    private final String transport;

    private TrackerServer(EventLoopGroup group, Channel udp, Channel http, SwarmRegistry registry,
                          HttpTrackerService httpService, TrackerStats stats, String transport) {
        this.group = group;
        this.udp = udp;
        this.http = http;
        this.registry = registry;
        this.httpService = httpService;
        this.stats = stats;
        this.transport = transport;
    }

    /** Binds and starts serving. Throws the socket's own exception (e.g. a BindException) if binding fails. */
    public static TrackerServer start(TrackerConfig config) throws InterruptedException {
        boolean epoll = config.preferEpoll() && Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        TrackerStats stats = new TrackerStats();
        SwarmRegistry registry = new SwarmRegistry(config.limits(), config.allowList(), System.nanoTime());
        long originNs = System.nanoTime();
        TrackerClock clock = new TrackerClock(originNs);
        HttpTrackerService httpService = new HttpTrackerService(registry, config.intervalSec(), stats);
        UdpTrackerService udpService = new UdpTrackerService(registry,
            new ConnectionIdCookies(ConnectionIdCookies.randomKey()),
            new SourceRateLimiter(config.perIpRatePerSec(), 4096),
            new RendezvousService(registry, new SourceRateLimiter(config.introduceRatePerSec(), 4096), stats),
            config.intervalSec(), stats);
        HttpConnectionLimit connections = new HttpConnectionLimit(config.maxHttpConnections());
        try {
            Channel http = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connections.admit(ch)) {
                            stats.httpBadRequests++;
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_HTTP_SEC, TimeUnit.SECONDS),
                            new HttpServerCodec(4096, 8192, 8192),
                            new HttpTrackerHandler(httpService, stats, clock));
                    }
                })
                .bind(config.host(), config.port()).sync().channel();
            int port = ((InetSocketAddress) http.localAddress()).getPort();
            Bootstrap udpBootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                    epoll ? UDP_DATAGRAM_BYTES * UDP_BATCH : UDP_DATAGRAM_BYTES))
                .handler(new UdpTrackerHandler(udpService, clock));
            if (epoll) {
                // recvmmsg: up to UDP_BATCH datagrams per system call. Level-triggered, because a closed-loop client
                // (a fixed number of requests in flight) sends nothing new while its requests wait in our socket
                // buffer: with edge triggering, a read pass that stops before EAGAIN would stall until a timeout.
                udpBootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UDP_DATAGRAM_BYTES)
                    .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
            }
            Channel udp;
            try {
                udp = udpBootstrap.bind(config.host(), port).sync().channel();
            } catch (RuntimeException e) {
                http.close().sync();
                throw e;
            }
            EventLoop loop = udp.eventLoop();
            loop.scheduleAtFixedRate(() -> registry.sweep(clock.getAsInt(), SWEEP_SLOTS_PER_SEC), 1, 1,
                TimeUnit.SECONDS);
            return new TrackerServer(group, udp, http, registry, httpService, stats, epoll ? "epoll" : "nio");
        } catch (Exception e) { // also Netty's undeclared native bind errors ("Address already in use")
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            httpService.close();
            throw e;
        }
    }

    /** The bound UDP address. */
    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** The bound HTTP (TCP) address; same port number as {@link #udpAddress()}. */
    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.localAddress();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /** A snapshot of the counters and registry sizes, taken on the tracker's event loop. */
    public Map<String, Object> stats() {
        try {
            return udp.eventLoop().submit(() -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("torrents", registry.torrents());
                m.put("peers", registry.peers());
                m.put("peers_expired", registry.peersExpired());
                m.put("peers_evicted", registry.peersEvicted());
                m.put("torrents_evicted", registry.torrentsEvicted());
                m.putAll(stats.toMap());
                return m;
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading stats", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("tracker event loop did not answer", e);
        }
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        http.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        httpService.close();
    }
}
