package io.shoal.peer.node;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.shoal.peer.metadata.MetadataFetcher;
import io.shoal.peer.metadata.MetadataMessage;
import io.shoal.peer.metadata.MetadataUnavailableException;
import io.shoal.peer.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A magnet's info dictionary fetched with BEP 9 over the node's own connections: every given peer is dialled like a
 * torrent's (secure rudp from the node's UDP socket first, then TCP), each connection is a {@link MetadataSession},
 * and one sans-IO {@link MetadataFetcher} decides which piece to ask whom and checks the SHA-1. Once it completes,
 * the metadata connections close (the download reconnects as ordinary peer sessions) and the future completes with
 * the verified bytes; it fails with a one-line {@link MetadataUnavailableException} when no peer delivered in time or every peer is
 * gone. Confined to the node's event loop.
 */
final class MetadataFetch implements PeerDialer.Target {
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long TICK_MS = 500;
    private static final int IDLE_TIMEOUT_SEC = 30;

    private final PeerNode node;
    private final InfoHash infoHash;
    private final MetadataFetcher fetcher;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final Set<MetadataSession> sessions = new LinkedHashSet<>();
    private final Set<Integer> freeIds = new HashSet<>();
    private int nextId;
    private int dialsLeft;
    private String lastProblem = "no peer answered";
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> deadline;

    private MetadataFetch(PeerNode node, InfoHash infoHash) {
        this.node = node;
        this.infoHash = infoHash;
        this.fetcher = new MetadataFetcher(infoHash, REQUEST_TIMEOUT_NS);
    }

    /** Starts a fetch on the node's event loop; call from any thread. At most {@code maxPeers} peers are dialled. */
    static CompletableFuture<byte[]> start(PeerNode node, InfoHash infoHash, List<InetSocketAddress> peers,
                                           int maxPeers, Duration timeout) {
        MetadataFetch f = new MetadataFetch(node, infoHash);
        List<InetSocketAddress> targets = peers.stream().filter(p -> !node.isSelf(p)).distinct().limit(maxPeers)
            .toList();
        if (targets.isEmpty()) {
            f.result.completeExceptionally(
                new MetadataUnavailableException("no peers to fetch the metadata from (give --peer HOST:PORT or a tracker)"));
            return f.result;
        }
        node.loop().execute(() -> f.begin(targets, timeout));
        return f.result;
    }

    private void begin(List<InetSocketAddress> targets, Duration timeout) {
        ticker = node.loop().scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        deadline = node.loop().schedule(() -> fail("metadata not received within " + timeout.toSeconds() + " s ("
            + lastProblem + ")"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        dialsLeft = targets.size();
        for (InetSocketAddress peer : targets) {
            node.dial(this, peer);
        }
    }

    InfoHash infoHash() {
        return infoHash;
    }

    byte[] peerId() {
        return node.peerId();
    }

    int listenPort() {
        return node.port();
    }

    int rudpPort() {
        return node.rudpPort();
    }

    MetadataFetcher fetcher() {
        return fetcher;
    }

    // ---- sessions --------------------------------------------------------------------------------------------------

    /** A connection is up: its fetcher id. */
    int register(MetadataSession session) {
        if (result.isDone()) {
            session.hangUp(null);
        }
        sessions.add(session);
        Integer reused = freeIds.isEmpty() ? null : freeIds.iterator().next();
        if (reused != null) {
            freeIds.remove(reused);
            return reused;
        }
        return nextId++;
    }

    void unregister(MetadataSession session, int id) {
        if (sessions.remove(session)) {
            fetcher.removePeer(id);
            freeIds.add(id);
            checkAllGone();
        }
    }

    void problem(String line) {
        lastProblem = line;
    }

    void onAnswer(MetadataSession session, int id, MetadataMessage answer) {
        MetadataFetcher.Outcome outcome = fetcher.onMessage(id, answer, System.nanoTime());
        if (outcome == MetadataFetcher.Outcome.COMPLETE) {
            finish();
        } else if (outcome == MetadataFetcher.Outcome.HASH_MISMATCH) {
            lastProblem = "metadata from " + session.who() + " does not match the info hash";
            tick(); // pieces go back to the pool: ask the others now
        }
    }

    private void tick() {
        for (MetadataSession s : sessions) {
            s.requestMore();
        }
    }

    /** Verified: the metadata connections close first, so the download's own connections are not duplicates. */
    private void finish() {
        byte[] metadata = fetcher.metadata();
        stopTimers();
        List<ChannelFuture> closing = new ArrayList<>();
        for (MetadataSession s : List.copyOf(sessions)) {
            closing.add(s.closeFuture());
            s.hangUp(null);
        }
        if (closing.isEmpty()) {
            result.complete(metadata);
            return;
        }
        int[] left = {closing.size()};
        for (ChannelFuture f : closing) {
            f.addListener(x -> {
                if (--left[0] == 0) {
                    result.complete(metadata);
                }
            });
        }
    }

    private void fail(String why) {
        if (result.isDone()) {
            return;
        }
        stopTimers();
        result.completeExceptionally(new MetadataUnavailableException(why));
        for (MetadataSession s : List.copyOf(sessions)) {
            s.hangUp(null);
        }
    }

    private void checkAllGone() {
        if (dialsLeft == 0 && sessions.isEmpty() && !result.isDone() && !fetcher.isComplete()) {
            fail("metadata not received: " + lastProblem);
        }
    }

    private void stopTimers() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    // ---- dialling --------------------------------------------------------------------------------------------------

    @Override
    public ChannelHandler sessionInitializer(PeerTransport transport) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_TIMEOUT_SEC),
                    new MetadataSession(MetadataFetch.this, transport));
            }
        };
    }

    @Override
    public void dialFailed(InetSocketAddress address) {
        lastProblem = address + ": cannot connect";
        dialsLeft--;
        checkAllGone();
    }

    @Override
    public void dialConnected(InetSocketAddress address) {
        dialsLeft--;
    }

    @Override
    public void connectionEnded(InetSocketAddress address) {
        checkAllGone();
    }
}
