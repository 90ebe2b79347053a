package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
    private final RateLimiter uploadLimiter;
    private final PeerTable peers;
    private final PeerCandidates candidates = new PeerCandidates();
    private final RateEstimator downloadRate = new RateEstimator(RATE_WINDOW_NS);
    private final RateEstimator uploadRate = new RateEstimator(RATE_WINDOW_NS);
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
        this.peers = new PeerTable(layout, capacity, node.peerId());
        this.uploadLimiter = node.uploadLimiter();
        this.swarm = new TorrentSwarm(layout, PickerConfig.rarestFirst(), ChokerConfig.defaults(), capacity,
            node.downloadLimiter(), seed, ~seed, peers);
        swarm.downloading(!seedOnly);
        this.board = new TorrentStatusBoard(metainfo.totalLength(), layout.pieceCount());
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
                loop.execute(() -> onChecked(have));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> fail(e));
            }
        });
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
        dialMore();
    }

    /** Checked, neither stopped nor failed: connections and piece results are accepted. */
    private boolean running() {
        TorrentState state = board.state();
        return state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING;
    }

    void offerPeer(InetSocketAddress address) {
        if (!node.isSelf(address)) {
            candidates.offer(address);
        }
        dialMore();
    }

    private void dialMore() {
        if (!running()) {
            return;
        }
        InetSocketAddress address;
        while (board.peersConnected() + node.dialsInFlight(this) < peers.capacity()
            && (address = candidates.next()) != null) {
            node.dial(this, address);
        }
    }

    /** A dial failed on every transport: the address may be offered again later (by the next announce). */
    void dialFailed(InetSocketAddress address) {
        candidates.failed(address);
    }

    /** A handshake completed: the peer's swarm id, or -1 to refuse (self, duplicate loser, full, banned, stopped). */
    int attach(PeerSession session, byte[] remotePeerId) {
        if (!running()) {
            return -1;
        }
        int id = peers.reserve(session, remotePeerId);
        if (id < 0) {
            return -1;
        }
        if (!swarm.connect(id, session.remoteAddress().getAddress(), System.nanoTime())) {
            peers.release(id, session); // banned address
            return -1;
        }
        board.peerAdded(session.transport());
        return id;
    }

    void detach(PeerSession session, int id) {
        if (peers.release(id, session)) {
            swarm.onPeerGone(id);
            board.peerRemoved(session.transport());
            loop.execute(this::dialMore);
        }
    }

    void sendInitialPieces(PeerSession session, int id, boolean fast) {
        PiecePicker picker = swarm.picker();
        if (swarm.hidesPieces()) {
            // BEP 16: claim nothing; the swarm reveals pieces by HAVE once this opening is out.
            if (fast) {
                session.write(PeerMessage.HaveNone.INSTANCE);
            }
        } else if (fast && picker.isFinished()) {
            session.write(PeerMessage.HaveAll.INSTANCE);
        } else if (fast && picker.haveCount() == 0) {
            session.write(PeerMessage.HaveNone.INSTANCE);
        } else if (picker.haveCount() > 0) {
            session.write(new PeerMessage.Bitfield(Bitfields.toWire(swarm.havePieces(), layout.pieceCount())));
        }
        swarm.onOpeningSent(id, System.nanoTime());
    }

    void onControl(int id, PeerMessage m, boolean fast) {
        long now = System.nanoTime();
        switch (m.kind()) {
            case CHOKE -> swarm.onChoke(id, true, !fast, now);
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
        if (handshake.requestQueue() > 0 && swarm.link(id) != null) {
            swarm.link(id).pipeline().onPeerReqq(handshake.requestQueue());
        }
    }

    void onRejected(int id, int piece, int begin, int length) {
        int block = layout.blockAt(piece, begin, length);
        if (block >= 0) {
            swarm.onRejected(id, block, System.nanoTime());
        }
    }

    boolean canServe(int id, int piece) {
        return swarm.canServe(id, piece);
    }

    /** Nanoseconds to wait before {@code bytes} may be sent under the upload limit; 0 = send now (taken). */
    long uploadWaitNs(int bytes) {
        long now = System.nanoTime();
        return uploadLimiter.tryAcquire(bytes, now) ? 0 : Math.max(1, uploadLimiter.nextAvailableNs(bytes, now) - now);
    }

    /** A block to send, in a new buffer the caller owns, or null after a storage error (the torrent fails). */
    ByteBuf readBlock(ByteBufAllocator alloc, int piece, int begin, int length) {
        try {
            ByteBuf block = store.read(alloc, piece, begin, length);
            node.config().uploadTamper().beforeSend(piece, begin, block);
            return block;
        } catch (IOException e) {
            fail(e);
            return null;
        }
    }

    void onBlockSent(int id, int bytes) {
        long now = System.nanoTime();
        swarm.onBlockSent(id, bytes, now);
        uploadRate.onBytes(bytes, now);
        board.uploaded(bytes);
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
        swarm.tick(now);
        board.rates(downloadRate.bytesPerSecond(now), uploadRate.bytesPerSecond(now));
        if (resumeDirty && now - lastResumeNs >= RESUME_EVERY_NS) {
            saveResumeAsync();
        }
        dialMore();
    }

    private void saveResumeAsync() {
        resumeDirty = false;
        lastResumeNs = System.nanoTime();
        BitSet have = swarm.havePieces();
        node.hashPool().execute(() -> {
            try {
                store.saveResume(have);
            } catch (IOException e) {
                if (!loop.isShuttingDown()) { // a node closing right after completion: stop() saves resume data
                    loop.execute(() -> fail(e));
                }
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
        peers.closeAll();
        candidates.clear();
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

    /** Whether {@code address} is banned for bad data (asks the event loop; for tests and diagnostics). */
    boolean isBanned(java.net.InetAddress address) {
        return loop.submit(() -> swarm.badPeers().isBanned(address)).syncUninterruptibly().getNow();
    }
}
