package io.shoal.peer.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.peer.metadata.MetadataTorrent;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.swarm.RateLimiter;
import io.shoal.rudp.netty.channel.RudpCodec;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;
import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.client.HttpTrackerClient;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.wire.AnnounceRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running peer: a TCP listener and a UDP (secure rudp) socket on the SAME port number, as libtorrent does with
 * uTP, event loops, and the torrents it serves. Thread-safe facade; all torrent state lives on its event loop (one
 * thread for every connection and torrent of the node), piece hashing on a small worker pool, tracker calls on one
 * announce thread.
 */
public final class PeerNode implements AutoCloseable {
    static final WriteBufferWaterMark TCP_WATER_MARK = new WriteBufferWaterMark(256 << 10, 1 << 20);
    private static final int READER_IDLE_SEC = 180;
    private static final int WRITER_IDLE_SEC = 60;
    private static final int BIND_ATTEMPTS = 16;
    private static final byte[] PEER_ID_PREFIX = "-SH0100-".getBytes(StandardCharsets.US_ASCII);

    private final PeerNodeConfig config;
    private final byte[] peerId;
    private final NodeIo io;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ExecutorService hashPool;
    private final ScheduledExecutorService announceExecutor;
    private final HttpTrackerClient httpTracker = new HttpTrackerClient(Duration.ofSeconds(5));
    private final RateLimiter uploadLimiter;
    private final RateLimiter downloadLimiter;
    private final List<TorrentHandle> torrents = new CopyOnWriteArrayList<>();
    private final Map<InfoHash, Torrent> byHash = new ConcurrentHashMap<>();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final AtomicLong acceptedConnections = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private UdpTrackerClient udpTracker;
    private Channel tcpServer;
    private Channel udpSocket;
    private RawRudpSocket rawUdpSocket;
    private PeerDialer dialer;
    private int port;
    private volatile boolean closed;

    private PeerNode(PeerNodeConfig config) {
        this.config = config;
        this.peerId = new byte[20];
        System.arraycopy(PEER_ID_PREFIX, 0, peerId, 0, PEER_ID_PREFIX.length);
        byte[] tail = new byte[20 - PEER_ID_PREFIX.length];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, peerId, PEER_ID_PREFIX.length, tail.length);
        this.io = NodeIo.of(config.ioTransport());
        this.group = io.newGroup();
        this.loop = group.next();
        this.hashPool = Executors.newFixedThreadPool(config.hashThreads(), new DefaultThreadFactory("shoal-hash", true));
        this.announceExecutor = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("shoal-announce", true));
        this.uploadLimiter = RateLimits.upload(config.uploadLimitBytesPerSec(), null);
        this.downloadLimiter = RateLimits.download(config.downloadLimitBytesPerSec(), null);
    }

    /** Binds TCP and UDP on {@code config.port()} (0 = one ephemeral number free on both) and starts the loops. */
    public static PeerNode start(PeerNodeConfig config) throws IOException {
        PeerNode node = new PeerNode(config);
        try {
            node.bind();
            return node;
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void bind() throws IOException {
        boolean rudp = config.transports().contains(PeerTransport.RUDP);
        IOException last = null;
        for (int attempt = 0; attempt < (config.port() == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            Channel tcp = null;
            try {
                tcp = new ServerBootstrap().group(group).channel(io.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TCP_WATER_MARK)
                    .childHandler(sessionInitializer(null, false, PeerTransport.TCP))
                    .bind(new InetSocketAddress(config.bindAddress(), config.port())).sync().channel();
                int bound = ((InetSocketAddress) tcp.localAddress()).getPort();
                PeerDialer.RudpConnector connector = rudp ? bindUdp(bound) : null;
                tcpServer = tcp;
                port = bound;
                dialer = new PeerDialer(this, loop, connector);
                return;
            } catch (Exception e) {
                if (tcp != null) {
                    tcp.close().syncUninterruptibly();
                }
                last = new IOException("cannot bind port " + config.port() + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /** Binds the UDP socket on {@code port}: secure rudp, or raw when the config asks for it (benchmarks). */
    private PeerDialer.RudpConnector bindUdp(int boundPort) throws InterruptedException {
        InetSocketAddress local = new InetSocketAddress(config.bindAddress(), boundPort);
        RudpConfig rudpConfig = RudpConfigs.forNode(config);
        ChannelHandler incoming = sessionInitializer(null, false, PeerTransport.RUDP);
        if (rudpConfig.profile() == RudpConfig.Profile.RAW) {
            rawUdpSocket = RawRudpSocket.bind(group, local, rudpConfig, rudpConfig.maxConnections(), incoming);
            return rawUdpSocket;
        }
        udpSocket = RudpServer.bind(group, local, rudpConfig, incoming).sync().channel();
        RudpCodec codec = RudpServer.codec(udpSocket);
        return (remote, initializer) -> codec.connect(remote, remote.toString(), initializer);
    }

    /** The bound port number, the same for TCP and UDP. */
    public int port() {
        return port;
    }

    /** Our 20-byte peer id, {@code "-SH0100-"} followed by 12 random bytes; a copy. */
    public byte[] peerId() {
        return peerId.clone();
    }

    /**
     * Adds a torrent stored under {@code directory}: verifies existing data (resume data first), then downloads what
     * is missing (unless {@code seedOnly}) and seeds.
     *
     * @throws IOException when the files cannot be created or a path is unsafe
     * @throws IllegalStateException when the node is closed or already has this torrent
     */
    public TorrentHandle add(Metainfo metainfo, Path directory, boolean seedOnly) throws IOException {
        return addTorrent(metainfo, directory, seedOnly);
    }

    private Torrent addTorrent(Metainfo metainfo, Path directory, boolean seedOnly) throws IOException {
        if (closed) {
            throw new IllegalStateException("node closed");
        }
        Torrent t = new Torrent(this, metainfo, directory, seedOnly, random.nextLong());
        if (byHash.putIfAbsent(metainfo.infoHash(), t) != null) {
            throw new IllegalStateException("torrent already added: " + metainfo.infoHash().hex());
        }
        torrents.add(t);
        t.start();
        return t;
    }

    /**
     * Adds a torrent known only by a magnet link: its info dictionary is fetched with BEP 9 from {@code peers} over
     * this node's own connections (secure rudp first, then TCP), checked against the info hash, then the torrent is
     * added under {@code directory} as by {@link #add} with the magnet's trackers. Each metadata connection becomes
     * one of the torrent's peer sessions in place (no second connection); the other addresses are offered to it.
     *
     * @param timeout how long the metadata may take; the future fails with a one-line
     *                {@link io.shoal.peer.metadata.MetadataUnavailableException} after it, when every peer is gone, or
     *                when there is no peer at all
     * @return completes with the running torrent; exceptionally when the metadata or the files could not be had
     */
    public CompletableFuture<TorrentHandle> addMagnet(MagnetLink magnet, List<InetSocketAddress> peers,
                                                      Path directory, boolean seedOnly, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("node closed");
        }
        MetadataFetch fetch = MetadataFetch.of(this, magnet.infoHash());
        return fetch.start(peers, config.maxPeersPerTorrent(), timeout).thenApplyAsync(info -> {
            Torrent torrent;
            try {
                torrent = addTorrent(MetadataTorrent.toMetainfo(info, magnet.trackers()), directory, seedOnly);
            } catch (IOException | MetainfoException | RuntimeException e) {
                loop.execute(fetch::abandon);
                throw new CompletionException(e);
            }
            // The metadata connections become the torrent's first (no second connection to those peers); the
            // other addresses are offered after, so an adopted one is already busy and not dialled again.
            loop.execute(() -> fetch.handOver(torrent));
            peers.forEach(torrent::addPeer);
            return torrent;
        }, hashPool);
    }

    /** Changes the node-wide upload limit, bytes per second (0 = unlimited); every torrent's own limit still holds. */
    public void setUploadLimit(long bytesPerSec) {
        RateLimits.requireNonNegative(bytesPerSec);
        loop.execute(() -> RateLimits.setUpload(uploadLimiter, bytesPerSec));
    }

    /** Changes the node-wide download limit, bytes per second (0 = unlimited). */
    public void setDownloadLimit(long bytesPerSec) {
        RateLimits.requireNonNegative(bytesPerSec);
        loop.execute(() -> RateLimits.setDownload(downloadLimiter, bytesPerSec));
    }

    /** The torrents added so far (stopped ones included), in insertion order. */
    public List<TorrentHandle> torrents() {
        return List.copyOf(torrents);
    }

    /** Peer connections closed for breaking the wire protocol, since start. */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** Stops all torrents (resume data kept) and closes the sockets. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TorrentHandle t : torrents) {
            t.stop();
        }
        if (tcpServer != null) {
            tcpServer.close().syncUninterruptibly();
        }
        if (udpSocket != null) {
            udpSocket.close().syncUninterruptibly();
        }
        if (rawUdpSocket != null) {
            rawUdpSocket.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        announceExecutor.shutdownNow();
        hashPool.shutdown();
        try {
            hashPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (udpTracker != null) {
                udpTracker.close();
            }
        }
    }

    // ---- for the package -------------------------------------------------------------------------------------------

    PeerNodeConfig config() {
        return config;
    }

    NodeIo io() {
        return io;
    }

    EventLoop loop() {
        return loop;
    }

    ExecutorService hashPool() {
        return hashPool;
    }

    ScheduledExecutorService announceExecutor() {
        return announceExecutor;
    }

    RateLimiter uploadLimiter() {
        return uploadLimiter;
    }

    RateLimiter downloadLimiter() {
        return downloadLimiter;
    }

    int rudpPort() {
        return udpSocket == null && rawUdpSocket == null ? 0 : port;
    }

    Torrent torrentFor(InfoHash hash) {
        return byHash.get(hash);
    }

    void countProtocolError() {
        protocolErrors.incrementAndGet();
    }

    /** Our own listening address (as a tracker may hand it back): same port on a local address. */
    boolean isSelf(InetSocketAddress address) {
        if (address.getPort() != port || address.getAddress() == null) {
            return false;
        }
        if (address.getAddress().isLoopbackAddress() || address.getAddress().isAnyLocalAddress()) {
            return true;
        }
        try {
            return java.net.NetworkInterface.getByInetAddress(address.getAddress()) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    void dial(PeerDialer.Target target, InetSocketAddress address) {
        dialer.dial(target, address);
    }

    int dialsInFlight(PeerDialer.Target target) {
        return dialer.inFlight(target);
    }

    /** Announces on the announce thread; UDP trackers share one client socket. */
    AnnounceResult announce(URI tracker, AnnounceRequest r) throws IOException {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("udp")) {
            synchronized (this) {
                if (udpTracker == null) {
                    udpTracker = UdpTrackerClient.open(2000, 2);
                }
                return udpTracker.announce(tracker, r);
            }
        }
        return httpTracker.announce(tracker, r);
    }

    /** The pipeline of a peer connection, the same on TCP and rudp: idle timeouts, then the session. */
    ChannelHandler sessionInitializer(Torrent torrent, boolean outgoing, PeerTransport transport) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!outgoing) {
                    acceptedConnections.incrementAndGet();
                }
                ch.pipeline().addLast(newIdleHandler(), new PeerSession(PeerNode.this, torrent, outgoing, transport));
            }
        };
    }

    /** A peer connection's idle timeouts: close after 180 s without a byte, keep-alive after 60 s of silence. */
    IdleStateHandler newIdleHandler() {
        return new IdleStateHandler(READER_IDLE_SEC, WRITER_IDLE_SEC, 0);
    }

    /** Connections accepted (TCP and rudp) since start; tests count them. */
    long acceptedConnections() {
        return acceptedConnections.get();
    }
}
