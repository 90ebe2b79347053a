package io.shoal.peer.swarm;

import java.util.SplittableRandom;

/**
 * The passes of the {@link PiecePicker}: partial pieces, endgame duplicates, and the order in which new pieces
 * start: random for the first few (something to trade quickly), then rarest first; in sequential mode the readahead
 * window goes before all of them. Rarest first walks the
 * {@link PieceAvailability} buckets from the lowest count up; inside a bucket it starts at a random offset and wraps,
 * which is the seeded random tie-break (libtorrent shuffles pieces of equal rarity for the same reason: peers that
 * see the same counts should not all start the same piece).
 */
final class PickOrder {
    private final PiecePicker picker;
    private final PieceAvailability availability;
    private final BlockTable blocks;
    private final PickerConfig config;
    private final SplittableRandom random;

    PickOrder(PiecePicker picker, PieceAvailability availability, BlockTable blocks, PickerConfig config,
              SplittableRandom random) {
        this.picker = picker;
        this.availability = availability;
        this.blocks = blocks;
        this.config = config;
        this.random = random;
    }

    int pickNew(int peer, PeerPieces p, int speedClass, int n, int limit, long nowNs, int[] out) {
        int pieces = availability.pieceCount();
        if (picker.haveCount() < config.randomFirstPieces()) {
            int start = random.nextInt(pieces);
            for (int i = 0; i < pieces && n < limit; i++) {
                int piece = (start + i) % pieces;
                if (blocks.isNew(piece) && p.hasPiece(piece)) {
                    n = picker.takeBlocks(peer, p, piece, speedClass, n, limit, nowNs, out);
                }
            }
            return n;
        }
        return rarestFirst(peer, p, speedClass, n, limit, nowNs, out);
    }

    /**
     * Sequential mode's first pass: every piece in the readahead window, in index order, started or not. It comes
     * before every other pass because a streaming reader waits for exactly these pieces.
     */
    int pickReadahead(int peer, PeerPieces p, int speedClass, int n, int limit, long nowNs, int[] out) {
        if (!config.sequential()) {
            return n;
        }
        int end = (int) Math.min(availability.pieceCount(),
                (long) picker.firstMissing() + config.readaheadPieces());
        for (int piece = picker.firstMissing(); piece < end && n < limit; piece++) {
            if (!blocks.have(piece) && p.hasPiece(piece)) {
                n = picker.takeBlocks(peer, p, piece, speedClass, n, limit, nowNs, out);
            }
        }
        return n;
    }

    /**
     * Starts new pieces that only this peer can give us (availability 1). They come before partial pieces that
     * other peers could finish: when the only source is a seeder, every block it sends should be one nobody else in
     * the swarm has yet, or the seeder ends up uploading the same piece to many leechers.
     */
    int pickSoleSource(int peer, PeerPieces p, int speedClass, int n, int limit, long nowNs, int[] out) {
        if (picker.haveCount() < config.randomFirstPieces() || availability.seeds() > 1
                || (availability.seeds() == 1) != p.seed) {
            return n;
        }
        int bucket = availability.seeds() == 1 ? 0 : 1;
        return walkBucket(bucket, peer, p, speedClass, n, limit, nowNs, out);
    }

    private int walkBucket(int c, int peer, PeerPieces p, int speedClass, int n, int limit, long nowNs, int[] out) {
        int from = availability.bucketStart(c);
        int size = availability.bucketStart(c + 1) - from;
        if (size <= 0) {
            return n;
        }
        int offset = random.nextInt(size);
        for (int i = 0; i < size && n < limit; i++) {
            int idx = offset + i;
            int piece = availability.pieceAt(from + (idx >= size ? idx - size : idx));
            if (blocks.isNew(piece) && p.hasPiece(piece)) {
                n = picker.takeBlocks(peer, p, piece, speedClass, n, limit, nowNs, out);
            }
        }
        return n;
    }

    private int rarestFirst(int peer, PeerPieces p, int speedClass, int n, int limit, long nowNs, int[] out) {
        // Bucket 0 (no peer announced the piece) only matters when seeds are connected.
        int firstBucket = availability.seeds() > 0 ? 0 : 1;
        int buckets = availability.bucketLimit();
        // A peer without a piece nobody announced cannot help with bucket 0: skip it rather than scan it.
        if (firstBucket == 0 && !p.seed) {
            firstBucket = 1;
        }
        for (int c = firstBucket; c < buckets && n < limit; c++) {
            n = walkBucket(c, peer, p, speedClass, n, limit, nowNs, out);
        }
        return n;
    }

    /** Partial pieces this peer has, started by a peer of the same speed class or ({@code sameClass} false) not. */
    int pickPartial(int peer, PeerPieces p, int speedClass, boolean sameClass, int n, int limit, long nowNs,
                    int[] out) {
        for (int i = 0; i < blocks.partialCount() && n < limit; i++) {
            int piece = blocks.partialAt(i);
            if ((picker.speedClassOf(piece) == speedClass) == sameClass && p.hasPiece(piece)) {
                n = picker.takeBlocks(peer, p, piece, speedClass, n, limit, nowNs, out);
            }
        }
        return n;
    }

    /** Endgame: blocks already requested elsewhere, never twice from one peer, bounded per block. */
    int pickEndgame(PeerPieces p, int n, int limit, long nowNs, int[] out) {
        int maxRequests = config.endgameMaxRequests();
        for (int i = 0; i < blocks.partialCount() && n < limit; i++) {
            int piece = blocks.partialAt(i);
            if (!p.hasPiece(piece)) {
                continue;
            }
            int first = picker.layout().firstBlock(piece);
            int end = first + picker.layout().blockCount(piece);
            for (int b = first; b < end && n < limit; b++) {
                if (!blocks.received(b) && blocks.requests(b) < maxRequests && !p.requests.contains(b)) {
                    picker.request(p, b, nowNs);
                    out[n++] = b;
                }
            }
        }
        return n;
    }
}
