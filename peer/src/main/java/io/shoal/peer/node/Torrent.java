package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.shoal.peer.metadata.MetadataCodec;
import io.shoal.peer.metadata.MetadataServer;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.swarm.BlockLayout;
import io.shoal.peer.swarm.ChokerConfig;
import io.shoal.peer.swarm.PickerConfig;
import io.shoal.peer.swarm.PiecePicker;
import io.shoal.peer.swarm.RateEstimator;
import io.shoal.peer.swarm.RateLimiter;
import io.shoal.peer.swarm.TorrentSwarm;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.Handshake;
import io.shoal.peer.wire.PeerMessage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One torrent in a {@link PeerNode}: the {@link TorrentSwarm} decisions carried out over {@link PeerSession}s, data in
 * a {@link PieceStore}, peers from trackers and {@link #addPeer}. Every field below the handle methods is confined to
 * the node's event loop; the handle methods hop onto it, and {@link #status()} reads a published snapshot.
 */
final class Torrent implements TorrentHandle {
    private static final long TICK_MS = 1000;
    private static final long RESUME_EVERY_NS = 5_000_000_000L;
    private static final long RATE_WINDOW_NS = 3_000_000_000L;

    private final PeerNode node;
    private final Metainfo metainfo;
    private final InfoHash infoHash;
    private final BlockLayout layout;
    private final boolean seedOnly;
    private final EventLoop loop;
    private final PieceStore store;
    private final TorrentSwarm swarm;
    private final TorrentUploads uploads;
    private final RateLimiter downloadLimiter;
    private final TorrentConnections connections;
    private final RateEstimator downloadRate = new RateEstimator(RATE_WINDOW_NS);
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final TorrentStatusBoard board;
    /** BEP 9: what magnet downloaders fetch; null when the info dictionary is too large to serve. */
    private final MetadataServer metadataServer;
    private TrackerAnnouncer announcer;
    private ScheduledFuture<?> ticker;
    private boolean resumeDirty;
    private long lastResumeNs;

    Torrent(PeerNode node, Metainfo metainfo, Path directory, boolean seedOnly, long seed) throws IOException {
        this.node = node;
        this.metainfo = metainfo;
        this.infoHash = metainfo.infoHash();
        this.layout = BlockLayout.of(metainfo.totalLength(), metainfo.pieceLength());
        this.seedOnly = seedOnly;
        this.loop = node.loop();
        this.store = new PieceStore(metainfo, directory, node.hashPool());
        int capacity = node.config().maxPeersPerTorrent();
        PeerTable peers = new PeerTable(layout, capacity, node.peerId());
        this.downloadLimiter = RateLimits.download(0, node.downloadLimiter());
        this.swarm = new TorrentSwarm(layout, PickerConfig.rarestFirst(), ChokerConfig.defaults(), capacity,
            downloadLimiter, seed, ~seed, peers);
        swarm.downloading(!seedOnly);
        this.board = new TorrentStatusBoard(metainfo.totalLength(), layout.pieceCount());
        this.connections = new TorrentConnections(node, this, swarm, peers, board);
        this.uploads = new TorrentUploads(store, swarm, board, node.config().uploadTamper(), node.uploadLimiter(),
            RATE_WINDOW_NS, this::fail);
        byte[] rawInfo = metainfo.rawInfo();
        this.metadataServer = rawInfo.length <= MetadataCodec.MAX_METADATA_BYTES ? new MetadataServer(rawInfo) : null;
    }

    /** The BEP 9 server for this torrent's info dictionary, or null when it is too large to serve. */
    MetadataServer metadataServer() {
        return metadataServer;
    }

    // ---- handle (any thread) --------------------------------------------------------------------------------------

    @Override
    public Metainfo metainfo() {
        return metainfo;
    }

    @Override
    public TransferStatus status() {
        return board.snapshot();
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public void addPeer(InetSocketAddress address) {
        loop.execute(() -> offerPeer(address));
    }

    @Override
    public void setUploadLimit(long bytesPerSec) {
        RateLimits.requireNonNegative(bytesPerSec);
        loop.execute(() -> RateLimits.setUpload(uploads.limiter(), bytesPerSec));
    }

    @Override
    public void setDownloadLimit(long bytesPerSec) {
        RateLimits.requireNonNegative(bytesPerSec);
        loop.execute(() -> RateLimits.setDownload(downloadLimiter, bytesPerSec));
    }

    @Override
    public void stop() {
        if (loop.inEventLoop()) {
            stopOnLoop();
        } else {
            loop.submit(this::stopOnLoop).syncUninterruptibly();
        }
        if (announcer != null) {
            announcer.stop(board.state() == TorrentState.FAILED);
        }
    }

    /** Checks existing data off the loop, then starts the swarm. */
    void start() {
        node.hashPool().execute(() -> {
            try {
                BitSet have = store.check(node.config().hashThreads());
                fromWorker(() -> onChecked(have));
            } catch (IOException | RuntimeException e) {
                fromWorker(() -> fail(e));
            }
        });
    }

    /** A hashing job's result back on the loop; once the node has closed there is no one left to tell. */
    private void fromWorker(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closedNode) {
            // the node closed while the job ran: its result no longer matters
        }
    }

    // ---- loop ------------------------------------------------------------------------------------------------------

    InfoHash infoHash() {
        return infoHash;
    }

    BlockLayout layout() {
        return layout;
    }

    Handshake handshakeFor(byte[] ourPeerId) {
        return new Handshake(Handshake.reservedBits(true, true, false), infoHash, ourPeerId);
    }

    private void onChecked(BitSet have) {
        if (board.state() != TorrentState.CHECKING) {
            return;
        }
        for (int p = have.nextSetBit(0); p >= 0; p = have.nextSetBit(p + 1)) {
            swarm.havePiece(p);
            board.pieceVerified(layout.pieceLength(p));
        }
        PiecePicker picker = swarm.picker();
        board.state(picker.isFinished() || seedOnly ? TorrentState.SEEDING : TorrentState.DOWNLOADING);
        if (picker.isFinished()) {
            completion.complete(null);
            if (node.config().superSeeding()) {
                swarm.superSeed(System.nanoTime());
            }
        }
        lastResumeNs = System.nanoTime();
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        if (node.config().announce()) {
            announcer = new TrackerAnnouncer(node, this, metainfo);
            announcer.start();
        }
        connections.adoptPending();
        connections.dialMore();
    }

    /** Checked, neither stopped nor failed: connections and piece results are accepted. */
    boolean running() {
        TorrentState state = board.state();
        return state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING;
    }

    /** Still checking its data: not running yet, neither stopped nor failed. */
    boolean checking() {
        return board.state() == TorrentState.CHECKING;
    }

    void offerPeer(InetSocketAddress address) {
        connections.offer(address);
    }

    /** Dialling, sessions joining and leaving, round-trip times. */
    TorrentConnections connections() {
        return connections;
    }

    void onControl(int id, PeerMessage m, boolean fast) {
        long now = System.nanoTime();
        switch (m.kind()) {
            case CHOKE -> {
                swarm.onChoke(id, true, !fast, now);
                connections.rearmIfIdle(id);
            }
            case UNCHOKE -> swarm.onChoke(id, false, !fast, now);
            case INTERESTED -> swarm.onInterested(id, true, now);
            case NOT_INTERESTED -> swarm.onInterested(id, false, now);
            case HAVE -> swarm.onHave(id, ((PeerMessage.Have) m).piece(), now);
            case BITFIELD -> swarm.onBitfield(id, ((PeerMessage.Bitfield) m).bits(), now);
            case HAVE_ALL -> swarm.onHaveAll(id, now);
            case ALLOWED_FAST -> swarm.onAllowedFast(id, ((PeerMessage.AllowedFast) m).piece(), now);
            default -> {
                // keep-alive, have-none, port, suggest, other extensions: nothing to decide
            }
        }
    }

    void onExtendedHandshake(int id, ExtendedHandshake handshake) {
        connections.onExtendedHandshake(id, handshake);
        if (handshake.requestQueue() > 0 && swarm.link(id) != null) {
            swarm.link(id).pipeline().onPeerReqq(handshake.requestQueue());
        }
    }

    void onRejected(int id, int piece, int begin, int length) {
        int block = layout.blockAt(piece, begin, length);
        if (block >= 0) {
            swarm.onRejected(id, block, System.nanoTime());
            connections.rearmIfIdle(id);
        }
    }

    boolean canServe(int id, int piece) {
        return swarm.canServe(id, piece);
    }

    /** Serving blocks: the upload limit, storage reads, counters. */
    TorrentUploads uploads() {
        return uploads;
    }

    /** Piece data arrived; borrows {@code data}. */
    void onBlockData(int id, int piece, int begin, ByteBuf data) {
        int block = layout.blockAt(piece, begin, data.readableBytes());
        if (block < 0) {
            return; // not one of our blocks: counted by nobody, dropped
        }
        long now = System.nanoTime();
        downloadRate.onBytes(data.readableBytes(), now);
        board.downloaded(data.readableBytes());
        PiecePicker.BlockResult result = swarm.onBlock(id, block, now);
        connections.onBlock(id, block, now);
        if (result != PiecePicker.BlockResult.DUPLICATE) {
            try {
                store.write(piece, begin, data);
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (result == PiecePicker.BlockResult.PIECE_COMPLETE) {
                store.verify(piece, swarm.needsDataOnPass(piece), loop, this::onVerified);
            }
        }
        swarm.fillRequests(id, now);
    }

    private void onVerified(int piece, boolean passed, ByteBuffer data, IOException error) {
        if (!running()) {
            return;
        }
        if (error != null) {
            fail(error);
            return;
        }
        long now = System.nanoTime();
        if (passed) {
            swarm.onPieceVerified(piece, data, now);
            board.pieceVerified(layout.pieceLength(piece));
            resumeDirty = true;
            if (swarm.picker().isFinished()) {
                onFinished();
            }
        } else {
            board.hashFailed();
            swarm.onPieceFailed(piece, data, now);
        }
    }

    private void onFinished() {
        board.state(TorrentState.SEEDING);
        saveResumeAsync();
        if (announcer != null) {
            announcer.completed();
        }
        completion.complete(null);
    }

    private void tick() {
        long now = System.nanoTime();
        connections.sampleTransportRtt();
        swarm.tick(now);
        board.rates(downloadRate.bytesPerSecond(now), uploads.bytesPerSecond(now));
        if (resumeDirty && now - lastResumeNs >= RESUME_EVERY_NS) {
            saveResumeAsync();
        }
        connections.dialMore();
    }

    private void saveResumeAsync() {
        resumeDirty = false;
        lastResumeNs = System.nanoTime();
        BitSet have = swarm.havePieces();
        node.hashPool().execute(() -> {
            try {
                store.saveResume(have);
            } catch (IOException e) {
                fromWorker(() -> fail(e)); // dropped if the node closed meanwhile: stop() saved resume data
            }
        });
    }

    /** A fatal storage error: connections close, the completion fails, the state says why. */
    void fail(Throwable error) {
        if (board.state() == TorrentState.FAILED || board.state() == TorrentState.STOPPED) {
            return;
        }
        board.failed(String.valueOf(error.getMessage()));
        closeConnections();
        closeStore();
        completion.completeExceptionally(error);
    }

    private void stopOnLoop() {
        TorrentState state = board.state();
        if (state == TorrentState.STOPPED || state == TorrentState.FAILED) {
            return;
        }
        board.state(TorrentState.STOPPED);
        closeConnections();
        try {
            if (state != TorrentState.CHECKING) {
                store.saveResume(swarm.havePieces());
            }
        } catch (IOException e) {
            board.failed("resume data: " + e.getMessage());
        }
        closeStore();
    }

    private void closeConnections() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        connections.closeAll();
    }

    /** Closes the files after hashing jobs already queued (their results are ignored once stopped). */
    private void closeStore() {
        node.hashPool().execute(() -> {
            try {
                store.close();
            } catch (IOException ignored) {
                // closing read handles: nothing left to lose
            }
        });
    }

    /** Runs {@code call} on the event loop and waits for its result (tests and diagnostics). */
    <T> T loopCall(java.util.concurrent.Callable<T> call) {
        return loop.submit(call).syncUninterruptibly().getNow();
    }

    /** Whether {@code address} is banned for bad data (asks the event loop; for tests and diagnostics). */
    boolean isBanned(java.net.InetAddress address) {
        return loopCall(() -> swarm.badPeers().isBanned(address));
    }
}
