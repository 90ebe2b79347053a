package io.shoal.peer.swarm;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Decides which blocks to request from which peer, for one torrent. Order of preference for a peer:
 * <ol>
 *   <li>while it chokes us, only its BEP 6 allowed-fast pieces;</li>
 *   <li>in sequential mode, the readahead window from the first missing piece, in order;</li>
 *   <li>new pieces only this peer has (availability 1): nobody else can give them to us;</li>
 *   <li>partial pieces (finish what is started), first those started by a peer of the same speed class so a slow
 *       peer does not hold up a piece fast peers are filling (libtorrent's speed affinity);</li>
 *   <li>new pieces: at random until {@link PickerConfig#randomFirstPieces()} are verified, then rarest first with a
 *       seeded random tie-break;</li>
 *   <li>endgame: once no block anywhere is untouched, blocks already requested elsewhere, at most
 *       {@link PickerConfig#endgameMaxRequests()} requests per block; the extra requests are cancelled on arrival.</li>
 * </ol>
 * A piece that failed its hash is afterwards fetched from one peer only (the first to pick it), so a second failure
 * has exactly one suspect.
 *
 * <p>Peers are caller-chosen ids in {@code [0, 65536)}; blocks are {@link BlockLayout} global indices. Every input is
 * checked and ignored when it does not fit (never throws on network input). Not thread-safe; no allocation on
 * {@link #pick} or {@link #onBlockReceived}.
 */
public final class PiecePicker {
    /** What {@link #onBlockReceived} made of a block. */
    public enum BlockResult { ACCEPTED, PIECE_COMPLETE, DUPLICATE }

    private static final int MAX_PEER_ID = 1 << 16;

    private final BlockLayout layout;
    private final PieceAvailability availability;
    private final BlockTable blocks;
    private final int[] exclusiveOwner;
    private final boolean[] failedBefore;
    private final int[] speedClassOf;
    private final PickOrder passes;
    private PeerPieces[] peers = new PeerPieces[16];
    private int[] cancels = new int[16];
    private int cancelCount;
    private int haveCount;
    private int firstMissing;

    public PiecePicker(BlockLayout layout, PickerConfig config, long seed) {
        this.layout = layout;
        int pieces = layout.pieceCount();
        availability = new PieceAvailability(pieces);
        blocks = new BlockTable(layout);
        exclusiveOwner = new int[pieces];
        Arrays.fill(exclusiveOwner, -1);
        failedBefore = new boolean[pieces];
        speedClassOf = new int[pieces];
        passes = new PickOrder(this, availability, blocks, config, new SplittableRandom(seed));
    }

    public BlockLayout layout() {
        return layout;
    }


    /** A peer connected; it starts choking us with no pieces (BEP 3). A repeated call is ignored. */
    public void addPeer(int peer) {
        if (peer < 0 || peer >= MAX_PEER_ID) {
            throw new IllegalArgumentException("peer id out of range: " + peer);
        }
        if (peer >= peers.length) {
            peers = Arrays.copyOf(peers, Math.max(peer + 1, peers.length * 2));
        }
        if (peers[peer] == null) {
            peers[peer] = new PeerPieces();
        }
    }

    /** BEP 3 have. Out-of-range pieces and unknown peers are ignored. */
    public void onHave(int peer, int piece) {
        PeerPieces p = peer(peer);
        if (p == null || p.seed || piece < 0 || piece >= layout.pieceCount() || p.has.get(piece)) {
            return;
        }
        p.has.set(piece);
        availability.increment(piece);
        if (!blocks.have(piece)) {
            p.wantedFromIt++;
        }
        if (p.has.cardinality() == layout.pieceCount()) {
            becomeSeed(p);
        }
    }

    /** BEP 3 bitfield; bits past the last piece are ignored. */
    public void onBitfield(int peer, BitSet bitfield) {
        for (int i = bitfield.nextSetBit(0); i >= 0 && i < layout.pieceCount(); i = bitfield.nextSetBit(i + 1)) {
            onHave(peer, i);
        }
    }

    /**
     * BEP 3 bitfield as sent on the wire: the high bit of byte 0 is piece 0 ({@link BitSet#valueOf(byte[])} reads
     * the other bit order, hence this overload). Bits past the last piece are ignored; {@code bits} is borrowed.
     */
    public void onBitfield(int peer, byte[] bits) {
        int limit = Math.min(bits.length, (layout.pieceCount() + 7) / 8);
        for (int i = 0; i < limit; i++) {
            for (int bit = 0; bit < 8 && bits[i] != 0; bit++) {
                if ((bits[i] & (0x80 >>> bit)) != 0 && i * 8 + bit < layout.pieceCount()) {
                    onHave(peer, i * 8 + bit);
                }
            }
        }
    }

    /** BEP 6 have-all: counted as a seed, O(1). */
    public void onHaveAll(int peer) {
        PeerPieces p = peer(peer);
        if (p != null && !p.seed) {
            becomeSeed(p);
        }
    }

    /** BEP 6 allowed-fast: {@code piece} may be requested from this peer even while it chokes us. */
    public void onAllowedFast(int peer, int piece) {
        PeerPieces p = peer(peer);
        if (p != null && piece >= 0 && piece < layout.pieceCount()) {
            p.allowedFast.set(piece);
        }
    }

    /** The peer choked us. Without BEP 6 a choke drops every request we sent it ({@code requestsDropped}). */
    public void onChoke(int peer, boolean requestsDropped) {
        PeerPieces p = peer(peer);
        if (p == null) {
            return;
        }
        p.chokingUs = true;
        if (requestsDropped) {
            dropAll(p);
        }
    }

    public void onUnchoke(int peer) {
        PeerPieces p = peer(peer);
        if (p != null) {
            p.chokingUs = false;
        }
    }

    /** The peer disconnected: its pieces leave the availability counts and its outstanding requests are freed. */
    public void onPeerGone(int peer) {
        PeerPieces p = peer(peer);
        if (p == null) {
            return;
        }
        dropAll(p);
        if (p.seed) {
            availability.removeSeed();
        } else {
            availability.apply(p.has, -1);
        }
        for (int piece = 0; piece < exclusiveOwner.length; piece++) {
            if (exclusiveOwner[piece] == peer) {
                exclusiveOwner[piece] = -1;
            }
        }
        peers[peer] = null;
    }

    /** True when the peer has a piece we lack: we should be (BEP 3) interested in it. */
    public boolean isInteresting(int peer) {
        PeerPieces p = peer(peer);
        return p != null && (p.seed ? haveCount < layout.pieceCount() : p.wantedFromIt > 0);
    }

    /** Requests outstanding at {@code peer}. */
    public int outstanding(int peer) {
        PeerPieces p = peer(peer);
        return p == null ? 0 : p.requests.size();
    }


    public boolean have(int piece) {
        return blocks.have(piece);
    }

    public int haveCount() {
        return haveCount;
    }

    public boolean isFinished() {
        return haveCount == layout.pieceCount();
    }

    /** True once no block is untouched: new requests are duplicates (endgame). */
    public boolean inEndgame() {
        return blocks.untouchedTotal() == 0 && !isFinished();
    }

    /** Marks {@code piece} as ours (it passed its hash, or was verified on disk at start). */
    public void onPieceVerified(int piece) {
        if (blocks.have(piece)) {
            return;
        }
        blocks.verified(piece);
        availability.retire(piece);
        haveCount++;
        while (firstMissing < layout.pieceCount() && blocks.have(firstMissing)) {
            firstMissing++;
        }
        for (PeerPieces p : peers) {
            if (p != null && !p.seed && p.has.get(piece)) {
                p.wantedFromIt--;
            }
        }
    }

    /** {@code piece} failed its hash: all its blocks are missing again, and one peer will fetch it whole. */
    public void onPieceFailed(int piece) {
        if (blocks.have(piece)) {
            return;
        }
        blocks.reset(piece);
        failedBefore[piece] = true;
        exclusiveOwner[piece] = -1;
    }


    /**
     * Chooses up to {@code max} blocks to request from {@code peer}, writes them to {@code out} and records them as
     * sent at {@code nowNs}. {@code speedClass} is the caller's bucket for the peer's download rate (for example
     * {@code 0} slow, {@code 1} medium, {@code 2} fast). Returns how many were written.
     */
    public int pick(int peer, int speedClass, int max, long nowNs, int[] out) {
        PeerPieces p = peer(peer);
        int limit = Math.min(max, out.length);
        if (p == null || limit <= 0 || isFinished()) {
            return 0;
        }
        int n = 0;
        if (p.chokingUs) {
            for (int piece = p.allowedFast.nextSetBit(0); piece >= 0 && n < limit;
                 piece = p.allowedFast.nextSetBit(piece + 1)) {
                if (p.hasPiece(piece) && !blocks.have(piece)) {
                    n = takeBlocks(peer, p, piece, speedClass, n, limit, nowNs, out);
                }
            }
            return n;
        }
        n = passes.pickReadahead(peer, p, speedClass, n, limit, nowNs, out);
        n = passes.pickSoleSource(peer, p, speedClass, n, limit, nowNs, out);
        n = passes.pickPartial(peer, p, speedClass, true, n, limit, nowNs, out);
        n = passes.pickPartial(peer, p, speedClass, false, n, limit, nowNs, out);
        if (n < limit) {
            n = passes.pickNew(peer, p, speedClass, n, limit, nowNs, out);
        }
        if (n < limit && blocks.untouchedTotal() == 0) {
            n = passes.pickEndgame(p, n, limit, nowNs, out);
        }
        return n;
    }

    /**
     * A block arrived from {@code peer}. Requests for it at other peers (endgame duplicates) are withdrawn: read them
     * from {@link #cancelCount()} / {@link #cancelPeer(int)} and send each a cancel. A block we did not request from
     * this peer but still lack (its request timed out) is accepted.
     */
    public BlockResult onBlockReceived(int peer, int block, long nowNs) {
        cancelCount = 0;
        if (block < 0 || block >= layout.blockSlots()) {
            return BlockResult.DUPLICATE;
        }
        PeerPieces from = peer(peer);
        if (from != null && from.requests.remove(block)) {
            blocks.dropRequest(block);
        }
        if (blocks.received(block) || blocks.have(layout.pieceOf(block))) {
            return BlockResult.DUPLICATE;
        }
        if (blocks.requests(block) > 0) {
            withdrawOthers(block);
        }
        blocks.receive(block);
        return blocks.isComplete(layout.pieceOf(block)) ? BlockResult.PIECE_COMPLETE : BlockResult.ACCEPTED;
    }

    /** Peers whose request for the last received block should be cancelled. */
    public int cancelCount() {
        return cancelCount;
    }

    public int cancelPeer(int i) {
        return cancels[i];
    }

    /** BEP 6 reject: the block becomes requestable again. */
    public void onRejected(int peer, int block) {
        PeerPieces p = peer(peer);
        if (p != null && p.requests.remove(block)) {
            blocks.dropRequest(block);
        }
    }

    /**
     * Frees requests sent to {@code peer} at or before {@code sentBeforeNs}, so other peers may be asked; writes the
     * freed blocks to {@code out} (the caller sends cancels) and returns how many. A freed block that still arrives
     * from this peer is accepted if we lack it.
     */
    public int expireRequests(int peer, long sentBeforeNs, int[] out) {
        PeerPieces p = peer(peer);
        int n = 0;
        if (p == null) {
            return 0;
        }
        while (p.requests.size() > 0 && n < out.length && p.requests.sentNsAt(0) - sentBeforeNs <= 0) {
            int block = p.requests.blockAt(0);
            p.requests.removeAt(0);
            blocks.dropRequest(block);
            int piece = layout.pieceOf(block);
            if (exclusiveOwner[piece] == peer) {
                exclusiveOwner[piece] = -1;
            }
            out[n++] = block;
        }
        return n;
    }


    int firstMissing() {
        return firstMissing;
    }

    /** Requests every untouched block of {@code piece} (up to the limit) from {@code peer}. */
    int takeBlocks(int peer, PeerPieces p, int piece, int speedClass, int n, int limit, long nowNs, int[] out) {
        if (blocks.untouched(piece) == 0 || !mayTake(peer, piece)) {
            return n;
        }
        if (blocks.isNew(piece)) {
            speedClassOf[piece] = speedClass;
            if (failedBefore[piece]) {
                exclusiveOwner[piece] = peer;
            }
        }
        int first = layout.firstBlock(piece);
        int end = first + layout.blockCount(piece);
        for (int b = first; b < end && n < limit; b++) {
            if (!blocks.received(b) && blocks.requests(b) == 0) {
                request(p, b, nowNs);
                out[n++] = b;
            }
        }
        return n;
    }

    private boolean mayTake(int peer, int piece) {
        int owner = exclusiveOwner[piece];
        return owner < 0 || owner == peer;
    }

    int speedClassOf(int piece) {
        return speedClassOf[piece];
    }

    void request(PeerPieces p, int block, long nowNs) {
        p.requests.add(block, nowNs);
        blocks.addRequest(block);
    }

    private void withdrawOthers(int block) {
        for (int id = 0; id < peers.length; id++) {
            PeerPieces other = peers[id];
            if (other != null && other.requests.remove(block)) {
                blocks.dropRequest(block);
                if (cancelCount == cancels.length) {
                    cancels = Arrays.copyOf(cancels, cancelCount * 2);
                }
                cancels[cancelCount++] = id;
            }
        }
    }

    private void dropAll(PeerPieces p) {
        for (int i = 0; i < p.requests.size(); i++) {
            blocks.dropRequest(p.requests.blockAt(i));
        }
        p.requests.clear();
    }

    private void becomeSeed(PeerPieces p) {
        availability.apply(p.has, -1);
        p.has.clear();
        p.seed = true;
        availability.addSeed();
    }

    private PeerPieces peer(int peer) {
        return peer >= 0 && peer < peers.length ? peers[peer] : null;
    }
}
