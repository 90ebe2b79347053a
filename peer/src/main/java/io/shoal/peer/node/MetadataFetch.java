package io.shoal.peer.node;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.shoal.peer.metadata.MetadataFetcher;
import io.shoal.peer.metadata.MetadataMessage;
import io.shoal.peer.metadata.MetadataUnavailableException;
import io.shoal.peer.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.time.Duration;
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
 * the future completes with the verified bytes and the connections stay open: the caller adds the torrent and calls
 * {@link #handOver} (each connection becomes one of the torrent's {@link PeerSession}s, no redial) or
 * {@link #abandon}. It fails with a one-line {@link MetadataUnavailableException} when no peer delivered in time or
 * every peer is gone. Confined to the node's event loop, except {@link #start}.
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

    static MetadataFetch of(PeerNode node, InfoHash infoHash) {
        return new MetadataFetch(node, infoHash);
    }

    /**
     * Starts the fetch on the node's event loop; call from any thread, once. At most {@code maxPeers} peers are
     * dialled. The result completes on the event loop.
     */
    CompletableFuture<byte[]> start(List<InetSocketAddress> peers, int maxPeers, Duration timeout) {
        List<InetSocketAddress> targets = peers.stream().filter(p -> !node.isSelf(p)).distinct().limit(maxPeers)
            .toList();
        if (targets.isEmpty()) {
            result.completeExceptionally(
                new MetadataUnavailableException("no peers to fetch the metadata from (give --peer HOST:PORT or a tracker)"));
            return result;
        }
        node.loop().execute(() -> begin(targets, timeout));
        return result;
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

    /** The session becomes a torrent's: it leaves quietly (no "every peer is gone" from its departure). */
    void leave(MetadataSession session, int id) {
        if (sessions.remove(session)) {
            fetcher.removePeer(id);
            freeIds.add(id);
        }
    }

    /** Whether the metadata is in: answers and requests are over. */
    boolean done() {
        return result.isDone();
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
        if (done()) {
            return; // a late answer to a request made before another peer completed the dictionary
        }
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

    /** Verified: the connections stay open for {@link #handOver}. */
    private void finish() {
        stopTimers();
        result.complete(fetcher.metadata());
    }

    /**
     * On the event loop, after the torrent was added: every connection past its handshake becomes a session of
     * {@code torrent} (at once if it runs, else when its check ends); the others are hung up on.
     */
    void handOver(Torrent torrent) {
        for (MetadataSession s : List.copyOf(sessions)) {
            if (s.canHandOver()) {
                torrent.connections().adopt(s);
            } else {
                s.hangUp(null);
            }
        }
    }

    /** On the event loop: the torrent could not be added; every connection closes. */
    void abandon() {
        for (MetadataSession s : List.copyOf(sessions)) {
            s.hangUp(null);
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
