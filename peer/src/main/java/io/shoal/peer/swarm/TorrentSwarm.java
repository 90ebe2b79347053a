package io.shoal.peer.swarm;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * One torrent's swarm decisions, composed from the sans-IO parts ({@link PiecePicker}, {@link Choker},
 * {@link RequestPipeline}, {@link BadPeerTracker}, {@link SuperSeeder}, and the {@link Requester} that sends interest,
 * requests and cancels under an optional download {@link RateLimiter}) and independent of how messages travel: the
 * virtual-time simulation and the networked peer both drive this one class. The shell reports what arrived
 * ({@code on...}) and carries out what the swarm decides through its {@link Outbox}; it keeps the data itself
 * (storage, blocks to serve) and tells the swarm how each piece verified.
 *
 * <p>Peers are caller-chosen ids in {@code [0, maxPeers)}. Every time-dependent call takes {@code nowNs}. Not
 * thread-safe: confine it to one thread (an event loop). Inputs for unknown peers are ignored.
 */
public final class TorrentSwarm implements Choker.Rates {
    /** How the swarm's decisions leave: the shell sends the message (or closes the connection). */
    public interface Outbox {
        void sendHave(int peer, int piece);

        void sendInterested(int peer, boolean interested);

        /** Also the moment to drop the peer's queued requests when {@code choke} is true. */
        void sendChoke(int peer, boolean choke);

        void sendRequest(int peer, int block);

        void sendCancel(int peer, int block);

        /** The peer is banned (or otherwise dropped by the swarm): close its connection. Its state is gone already. */
        void disconnect(int peer);
    }

    private final BlockLayout layout;
    private final PiecePicker picker;
    private final Choker choker;
    private final BadPeerTracker badPeers;
    private final Requester requester;
    private final Outbox outbox;
    private final PeerLink[] links;
    private final int[] revealed = new int[SuperSeeder.MAX_AHEAD];
    /** BEP 16 while we seed a complete torrent with super-seeding on; null otherwise. */
    private SuperSeeder superSeeder;
    private long ratesNowNs;

    /**
     * @param downloadLimiter bounds the rate at which blocks are requested, or {@code null} for no limit
     * @param pickerSeed      seeds the picker's random choices
     * @param chokerSeed      seeds the choker's optimistic unchoke
     */
    public TorrentSwarm(BlockLayout layout, PickerConfig pickerConfig, ChokerConfig chokerConfig, int maxPeers,
                        RateLimiter downloadLimiter, long pickerSeed, long chokerSeed, Outbox outbox) {
        this.layout = layout;
        this.picker = new PiecePicker(layout, pickerConfig, pickerSeed);
        this.choker = new Choker(chokerConfig, chokerSeed);
        this.badPeers = new BadPeerTracker(layout, 0, 256);
        this.requester = new Requester(layout, picker, choker, downloadLimiter, outbox);
        this.outbox = outbox;
        this.links = new PeerLink[maxPeers];
    }

    public BlockLayout layout() {
        return layout;
    }

    /** Read-only use by the shell (have, haveCount, isFinished, outstanding); decisions go through this class. */
    public PiecePicker picker() {
        return picker;
    }

    public Choker choker() {
        return choker;
    }

    public BadPeerTracker badPeers() {
        return badPeers;
    }

    /** The link of a connected peer, or null. */
    public PeerLink link(int peer) {
        return peer >= 0 && peer < links.length ? links[peer] : null;
    }

    /** Whether we fetch missing pieces; a seed-only torrent never shows interest nor requests. */
    public void downloading(boolean enabled) {
        requester.downloading(enabled);
    }

    /** Marks a piece we already hold (from storage) before any peer connects. */
    public void havePiece(int piece) {
        picker.onPieceVerified(piece);
    }

    /**
     * Turns BEP 16 super-seeding on, before any peer connects, for a torrent we hold whole (false otherwise, and
     * nothing changes). Peers that connect afterwards must be sent no bitfield (or have-none, never have-all), then
     * {@link #onOpeningSent}; the swarm reveals pieces to them by HAVE.
     */
    public boolean superSeed(long seed) {
        if (!picker.isFinished()) {
            return false;
        }
        superSeeder = new SuperSeeder(layout, links.length, seed);
        return true;
    }

    /** True while super-seeding: the opening message to a new peer must claim no pieces. */
    public boolean hidesPieces() {
        return superSeeder != null;
    }

    /**
     * The shell sent its opening message (bitfield, have-all, have-none, or none) to {@code peer}: it is unchoked
     * now if a slot is free ({@link Choker#unchokeOnConnect}), in the same flight as the opening.
     */
    public void onOpeningSent(int peer, long nowNs) {
        PeerLink c = link(peer);
        if (c != null && choker.unchokeOnConnect(peer, nowNs)) {
            c.amChoking = false;
            outbox.sendChoke(peer, false);
        }
        if (superSeeder != null && c != null) {
            superSeeder.onAnnounced(peer);
            reveal(peer, nowNs);
        }
    }

    /** Our pieces as a set (for a bitfield). */
    public BitSet havePieces() {
        BitSet have = new BitSet(layout.pieceCount());
        for (int p = 0; p < layout.pieceCount(); p++) {
            if (picker.have(p)) {
                have.set(p);
            }
        }
        return have;
    }

    /**
     * A connection is up. False when the address is banned or the id is out of range: refuse it. The shell then
     * sends have-all, a bitfield or nothing, as it sees fit.
     */
    public boolean connect(int peer, InetAddress address, long nowNs) {
        if (peer < 0 || peer >= links.length || links[peer] != null || !badPeers.onPeerConnected(peer, address)) {
            return false;
        }
        links[peer] = new PeerLink(peer);
        if (superSeeder != null) {
            superSeeder.addPeer(peer, nowNs);
        }
        picker.addPeer(peer);
        choker.addPeer(peer, nowNs);
        return true;
    }

    /** The connection ended (either side closed it). Idempotent. */
    public void onPeerGone(int peer) {
        if (link(peer) != null) {
            links[peer] = null;
            if (superSeeder != null) {
                superSeeder.removePeer(peer);
            }
            picker.onPeerGone(peer);
            choker.removePeer(peer);
        }
    }

    // ---- messages in ---------------------------------------------------------------------------------------------

    public void onHaveAll(int peer, long nowNs) {
        picker.onHaveAll(peer);
        if (superSeeder != null && link(peer) != null) {
            superSeeder.onHaveAll(peer);
        }
        updateInterest(peer, nowNs);
    }

    public void onBitfield(int peer, BitSet have, long nowNs) {
        picker.onBitfield(peer, have);
        if (superSeeder != null && link(peer) != null) {
            superSeeder.onBitfield(peer, have, nowNs);
        }
        updateInterest(peer, nowNs);
    }

    public void onBitfield(int peer, byte[] bits, long nowNs) {
        picker.onBitfield(peer, bits);
        if (superSeeder != null && link(peer) != null) {
            superSeeder.onBitfield(peer, bits, nowNs);
        }
        updateInterest(peer, nowNs);
    }

    public void onHave(int peer, int piece, long nowNs) {
        picker.onHave(peer, piece);
        if (superSeeder != null && link(peer) != null) {
            superSeeder.onHave(peer, piece, nowNs);
            reveal(peer, nowNs);
        }
        updateInterest(peer, nowNs);
    }

    /** Super-seeding: shows {@code peer} as many new pieces as its budget allows. */
    private void reveal(int peer, long nowNs) {
        PeerLink c = link(peer);
        if (c == null) {
            return;
        }
        int n = superSeeder.topUp(peer, c.amChoking, c.uploadRate.bytesPerSecond(nowNs), c.pipeline.peerReqq(), nowNs,
            revealed);
        for (int i = 0; i < n; i++) {
            outbox.sendHave(peer, revealed[i]);
        }
    }

    public void onAllowedFast(int peer, int piece, long nowNs) {
        picker.onAllowedFast(peer, piece);
        fillRequests(peer, nowNs);
    }

    public void onInterested(int peer, boolean interested, long nowNs) {
        PeerLink c = link(peer);
        if (c == null) {
            return;
        }
        c.peerInterested = interested;
        boolean wasUnchoked = choker.isUnchoked(peer);
        choker.onInterested(peer, interested);
        // A slot that opens (free, or held by a peer that lost interest) is refilled now, not at the next rechoke.
        if (interested ? choker.unchokedCount() < choker.slots() : wasUnchoked) {
            rechoke(nowNs);
        }
    }

    /** The peer (un)choked us; {@code requestsDropped} is true without BEP 6 (with it, rejects say what dropped). */
    public void onChoke(int peer, boolean choked, boolean requestsDropped, long nowNs) {
        PeerLink c = link(peer);
        if (c == null) {
            return;
        }
        c.peerChoking = choked;
        if (choked) {
            picker.onChoke(peer, requestsDropped);
        } else {
            picker.onUnchoke(peer);
            fillRequests(peer, nowNs);
        }
    }

    public void onRejected(int peer, int block, long nowNs) {
        picker.onRejected(peer, block);
        fillRequests(peer, nowNs);
    }

    /** Whether a request from {@code peer} for a block of {@code piece} should be served now. */
    public boolean canServe(int peer, int piece) {
        PeerLink c = link(peer);
        return c != null && !c.amChoking && piece >= 0 && piece < layout.pieceCount() && picker.have(piece);
    }

    /** We sent {@code bytes} of piece data to the peer. */
    public void onBlockSent(int peer, int bytes, long nowNs) {
        PeerLink c = link(peer);
        if (c != null) {
            c.uploadRate.onBytes(bytes, nowNs);
        }
    }

    /**
     * A block arrived. Cancels for endgame duplicates go out here. When the result is not {@code DUPLICATE} the shell
     * stores the data (and, on {@code PIECE_COMPLETE}, verifies the piece and reports it with
     * {@link #onPieceVerified} or {@link #onPieceFailed}); then it calls {@link #fillRequests}.
     */
    public PiecePicker.BlockResult onBlock(int peer, int block, long nowNs) {
        PeerLink c = link(peer);
        if (c == null) {
            return PiecePicker.BlockResult.DUPLICATE;
        }
        int length = layout.lengthOf(block);
        c.pipeline.onBlockReceived(length, nowNs);
        choker.onBlockFrom(peer, nowNs);
        PiecePicker.BlockResult result = picker.onBlockReceived(peer, block, nowNs);
        requester.cancelDuplicates(block);
        if (result != PiecePicker.BlockResult.DUPLICATE) {
            badPeers.onBlockStored(peer, block);
        }
        return result;
    }

    /** Whether {@link #onPieceVerified} needs the piece's bytes (a smart-ban comparison is pending). */
    public boolean needsDataOnPass(int piece) {
        return badPeers.needsDataOnPass(piece);
    }

    /** The piece passed its hash: have broadcast, interest update, liars banned. {@code data} may be null unless needed. */
    public void onPieceVerified(int piece, ByteBuffer data, long nowNs) {
        picker.onPieceVerified(piece);
        banAll(badPeers.onPiecePassed(piece, data));
        for (PeerLink c : links) {
            if (c != null) {
                outbox.sendHave(c.peer, piece);
                requester.updateInterest(c, nowNs);
            }
        }
    }

    /** The piece failed its hash: its contributors are judged, it is picked again. {@code data} as received. */
    public void onPieceFailed(int piece, ByteBuffer data, long nowNs) {
        picker.onPieceFailed(piece);
        banAll(badPeers.onPieceFailed(piece, data));
        fillAll(nowNs);
    }

    // ---- decisions -----------------------------------------------------------------------------------------------

    private void banAll(int count) {
        for (int i = 0; i < count; i++) {
            int peer = badPeers.newlyBanned(i);
            if (link(peer) != null) {
                onPeerGone(peer);
                outbox.disconnect(peer);
            }
        }
    }

    private void updateInterest(int peer, long nowNs) {
        requester.updateInterest(link(peer), nowNs);
    }

    /** Tops up the requests outstanding to {@code peer} to its pipeline depth (and the download limit). */
    public void fillRequests(int peer, long nowNs) {
        requester.fill(link(peer), nowNs);
    }

    public void fillAll(long nowNs) {
        for (int peer = 0; peer < links.length; peer++) {
            fillRequests(peer, nowNs);
        }
    }

    /** Call about once a second: expires slow requests (with cancels), refills pipelines, rechokes when due. */
    public void tick(long nowNs) {
        for (PeerLink c : links) {
            requester.expire(c, nowNs);
        }
        fillAll(nowNs);
        if (choker.isRechokeDue(nowNs)) {
            rechoke(nowNs);
        }
        if (superSeeder != null) {
            superSeeder.expire(nowNs);
            for (int peer = 0; peer < links.length; peer++) {
                reveal(peer, nowNs);
            }
        }
    }

    private void rechoke(long nowNs) {
        ratesNowNs = nowNs;
        choker.rechoke(nowNs, picker.isFinished(), this);
        for (int i = 0; i < choker.changedCount(); i++) {
            int peer = choker.changedPeer(i);
            PeerLink c = link(peer);
            if (c == null) {
                continue;
            }
            boolean choke = !choker.isUnchoked(peer);
            c.amChoking = choke;
            outbox.sendChoke(peer, choke);
            if (!choke && superSeeder != null) {
                reveal(peer, nowNs);
            }
        }
    }

    /** Rates as of the rechoke in progress (the choker asks without a time). */
    @Override
    public long downloadBytesPerSecond(int peer) {
        PeerLink c = link(peer);
        return c == null ? 0 : c.pipeline.downloadBytesPerSecond(ratesNowNs);
    }

    @Override
    public long uploadBytesPerSecond(int peer) {
        PeerLink c = link(peer);
        return c == null ? 0 : c.uploadRate.bytesPerSecond(ratesNowNs);
    }
}
