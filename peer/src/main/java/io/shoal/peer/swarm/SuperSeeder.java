package io.shoal.peer.swarm;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * BEP 16 super-seeding (initial seeding) for a complete seed: peers are told nothing at connect (no bitfield, or
 * have-none) and are shown pieces one HAVE at a time, each piece revealed to one peer only until some connected peer
 * holds it. Every peer therefore fetches from us only pieces nobody else can give it, and gets the rest from the
 * swarm, so the seed uploads about one copy of the file.
 *
 * <p>How far ahead a peer is shown pieces follows our upload rate to it ({@link #AHEAD_NS} of it, at least
 * {@link #MIN_AHEAD} pieces). The only peer that lacks pieces is also shown its whole request queue's worth (its BEP 10
 * {@code reqq} in blocks) on top: there is nobody to split the pieces with, and the rate estimate starts at zero, so
 * without it a lone downloader on a long fat path would fetch its few revealed pieces and wait a round trip for the
 * next HAVE, again and again, for the seconds the estimate takes to grow (64 KiB pieces: 8 are half a megabyte). As soon
 * as a second peer lacks pieces, every peer is back on the rate budget. A choked peer is shown one piece, enough to be interested. A reveal the peer has not fetched within
 * {@link #REVEAL_TIMEOUT_NS} lapses and the piece may be shown to another peer; a peer that lacks pieces and made no
 * progress (no HAVE) for {@link #STALL_NS} is shown the rarest piece it lacks even if others hold it: a swarm that
 * does not trade (peers that choke it, peers that left) cannot stall it. The mode is never left: a piece whose
 * holders all left is revealable again, which also serves late joiners.
 *
 * <p>Confined to the owning {@link TorrentSwarm}'s thread; peers are its ids.
 */
final class SuperSeeder {
    static final int MIN_AHEAD = 8;
    static final long AHEAD_NS = 2_000_000_000L;
    static final long REVEAL_TIMEOUT_NS = 10_000_000_000L;
    static final long STALL_NS = 5_000_000_000L;
    /** Bounds the reveals outstanding to one peer (and the work of one top-up). */
    static final int MAX_AHEAD = 1024;
    private static final long NS_PER_S = 1_000_000_000L;

    /** Our view of one peer while super-seeding. */
    private static final class Peer {
        final BitSet has = new BitSet();
        final BitSet shown = new BitSet();
        int[] pending = new int[8];
        long[] pendingNs = new long[8];
        int pendingCount;
        boolean seed;
        boolean announced;
        long lastProgressNs;
    }

    private final int pieceCount;
    private final int pieceBytes;
    private final int blockBytes;
    private final int[] order;
    private final int[] holders;
    private final int[] liveReveals;
    private final int[] timesRevealed;
    private Peer[] peers;
    private int seeds;
    /** Connected peers that lack pieces (not seeds). */
    private int leechers;

    SuperSeeder(BlockLayout layout, int maxPeers, long seed) {
        this.pieceCount = layout.pieceCount();
        this.pieceBytes = Math.max(1, layout.pieceLength(0));
        this.blockBytes = layout.blockBytes();
        this.holders = new int[pieceCount];
        this.liveReveals = new int[pieceCount];
        this.timesRevealed = new int[pieceCount];
        this.peers = new Peer[maxPeers];
        // A shuffled scan order: equally-good pieces go out in no particular order (BEP 3's random first pieces).
        order = new int[pieceCount];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pieceCount; i++) {
            int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
    }

    void addPeer(int peer, long nowNs) {
        Peer p = new Peer();
        p.lastProgressNs = nowNs;
        peers[peer] = p;
        leechers++;
    }

    /** The shell has sent its opening (nothing or have-none): HAVEs may follow from now on. */
    void onAnnounced(int peer) {
        Peer p = peers[peer];
        if (p != null) {
            p.announced = true;
        }
    }

    void removePeer(int peer) {
        Peer p = peers[peer];
        if (p == null) {
            return;
        }
        peers[peer] = null;
        if (p.seed) {
            seeds--;
        } else {
            leechers--;
            for (int i = p.has.nextSetBit(0); i >= 0; i = p.has.nextSetBit(i + 1)) {
                holders[i]--;
            }
        }
        for (int i = 0; i < p.pendingCount; i++) {
            liveReveals[p.pending[i]]--;
        }
    }

    void onHave(int peer, int piece, long nowNs) {
        Peer p = peers[peer];
        if (p == null || p.seed || piece < 0 || piece >= pieceCount || p.has.get(piece)) {
            return;
        }
        p.has.set(piece);
        holders[piece]++;
        p.lastProgressNs = nowNs;
        removePending(p, piece);
    }

    void onBitfield(int peer, BitSet have, long nowNs) {
        for (int i = have.nextSetBit(0); i >= 0 && i < pieceCount; i = have.nextSetBit(i + 1)) {
            onHave(peer, i, nowNs);
        }
    }

    /** A bitfield as sent on the wire (the high bit of byte 0 is piece 0); {@code bits} is borrowed. */
    void onBitfield(int peer, byte[] bits, long nowNs) {
        for (int i = 0; i < pieceCount && (i >> 3) < bits.length; i++) {
            if ((bits[i >> 3] & (0x80 >>> (i & 7))) != 0) {
                onHave(peer, i, nowNs);
            }
        }
    }

    void onHaveAll(int peer) {
        Peer p = peers[peer];
        if (p == null || p.seed) {
            return;
        }
        for (int i = p.has.nextSetBit(0); i >= 0; i = p.has.nextSetBit(i + 1)) {
            holders[i]--;
        }
        while (p.pendingCount > 0) {
            removePending(p, p.pending[0]);
        }
        p.seed = true;
        seeds++;
        leechers--;
    }

    /** Lapses reveals older than the timeout, so their pieces may be shown to someone else. */
    void expire(long nowNs) {
        for (Peer p : peers) {
            if (p == null) {
                continue;
            }
            for (int i = p.pendingCount - 1; i >= 0; i--) {
                if (nowNs - p.pendingNs[i] > REVEAL_TIMEOUT_NS) {
                    removePending(p, p.pending[i]);
                }
            }
        }
    }

    /**
     * Reveals pieces to {@code peer} up to its budget and returns how many were written to {@code out} (the caller
     * sends a HAVE for each). {@code choked}: we choke the peer; {@code uploadBytesPerSecond}: our rate to it;
     * {@code requestQueueBlocks}: the most block requests it may have queued at us (its {@code reqq}), 0 if unknown.
     */
    int topUp(int peer, boolean choked, long uploadBytesPerSecond, int requestQueueBlocks, long nowNs, int[] out) {
        Peer p = peers[peer];
        if (p == null || !p.announced || p.seed) {
            return 0;
        }
        long ahead = Math.max(MIN_AHEAD, uploadBytesPerSecond * AHEAD_NS / NS_PER_S / pieceBytes);
        if (leechers == 1) {
            ahead += ((long) requestQueueBlocks * blockBytes + pieceBytes - 1) / pieceBytes;
        }
        int budget = choked ? 1 : (int) Math.min(MAX_AHEAD, ahead);
        budget = Math.min(budget, out.length);
        int n = 0;
        while (p.pendingCount < budget) {
            int piece = pickFresh(p);
            if (piece < 0) {
                break;
            }
            out[n++] = reveal(p, piece, nowNs);
        }
        if (n == 0 && p.pendingCount == 0 && nowNs - p.lastProgressNs > STALL_NS && out.length > 0) {
            int piece = pickRarestLacking(p);
            if (piece >= 0) {
                p.lastProgressNs = nowNs; // one rescue per stall period
                out[n++] = reveal(p, piece, nowNs);
            }
        }
        return n;
    }

    /** A piece the peer lacks that no connected peer holds nor is being shown, the least revealed first. */
    private int pickFresh(Peer p) {
        int best = -1;
        for (int piece : order) {
            if (holders[piece] == 0 && seeds == 0 && liveReveals[piece] == 0 && !p.has.get(piece)
                    && !p.shown.get(piece) && (best < 0 || timesRevealed[piece] < timesRevealed[best])) {
                best = piece;
                if (timesRevealed[piece] == 0) {
                    break;
                }
            }
        }
        return best;
    }

    private int pickRarestLacking(Peer p) {
        int best = -1;
        for (int piece : order) {
            if (!p.has.get(piece) && !p.shown.get(piece)
                    && (best < 0 || holders[piece] + liveReveals[piece] < holders[best] + liveReveals[best])) {
                best = piece;
            }
        }
        return best;
    }

    private int reveal(Peer p, int piece, long nowNs) {
        if (p.pendingCount == p.pending.length) {
            p.pending = Arrays.copyOf(p.pending, p.pendingCount * 2);
            p.pendingNs = Arrays.copyOf(p.pendingNs, p.pendingCount * 2);
        }
        p.pending[p.pendingCount] = piece;
        p.pendingNs[p.pendingCount] = nowNs;
        p.pendingCount++;
        p.shown.set(piece);
        liveReveals[piece]++;
        timesRevealed[piece]++;
        return piece;
    }

    private void removePending(Peer p, int piece) {
        for (int i = 0; i < p.pendingCount; i++) {
            if (p.pending[i] == piece) {
                liveReveals[piece]--;
                p.pendingCount--;
                p.pending[i] = p.pending[p.pendingCount];
                p.pendingNs[i] = p.pendingNs[p.pendingCount];
                return;
            }
        }
    }
}
