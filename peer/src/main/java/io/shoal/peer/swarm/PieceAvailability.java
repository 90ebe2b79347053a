package io.shoal.peer.swarm;

import java.util.Arrays;
import java.util.BitSet;

/**
 * How many connected peers have each piece, kept ordered by that count so the rarest pieces are found without
 * sorting. Every update is O(1) per piece: {@link #increment}/{@link #decrement} move one piece to the edge of its
 * count bucket with a single swap (the counting-sort layout libtorrent's piece picker uses). Peers that have
 * everything (BEP 6 have-all, or a full bitfield) are counted once in {@link #seeds()} instead of once per piece, so a
 * seed joining or leaving costs O(1).
 *
 * <p>Pieces we already have are {@link #retire retired}: moved out of the ordered range so picks never look at them
 * again. Their counts keep being maintained. Not thread-safe.
 */
public final class PieceAvailability {
    private final int[] count;
    /** Pieces in ascending count order; {@code [0, bucketStart[0])} holds retired pieces. */
    private final int[] order;
    private final int[] position;
    private final boolean[] retired;
    /** {@code bucketStart[c]} = first index in {@link #order} of an active piece with count >= c. */
    private int[] bucketStart;
    private int seeds;

    /** Creates the table for {@code pieceCount} pieces, all with count 0. */
    public PieceAvailability(int pieceCount) {
        if (pieceCount <= 0) {
            throw new IllegalArgumentException("pieceCount must be positive: " + pieceCount);
        }
        count = new int[pieceCount];
        order = new int[pieceCount];
        position = new int[pieceCount];
        retired = new boolean[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
            position[i] = i;
        }
        bucketStart = new int[8];
        Arrays.fill(bucketStart, 1, bucketStart.length, pieceCount);
    }

    public int pieceCount() {
        return count.length;
    }

    /** Peers with everything, counted apart from the per-piece counts. */
    public int seeds() {
        return seeds;
    }

    /** Availability of {@code piece}: the peers that announced it plus {@link #seeds()}. */
    public int availability(int piece) {
        return count[piece] + seeds;
    }

    /** A peer announced {@code piece} (BEP 3 have). */
    public void increment(int piece) {
        int c = count[piece];
        if (c + 2 >= bucketStart.length) {
            int old = bucketStart.length;
            bucketStart = Arrays.copyOf(bucketStart, old * 2);
            Arrays.fill(bucketStart, old, bucketStart.length, count.length);
        }
        count[piece] = c + 1;
        if (retired[piece]) {
            return;
        }
        // Swap with the last piece of bucket c, then shrink bucket c by one: the piece now heads bucket c + 1.
        int last = bucketStart[c + 1] - 1;
        swap(position[piece], last);
        bucketStart[c + 1] = last;
    }

    /** A peer that had {@code piece} left. Counts never go below zero; a stray call is ignored. */
    public void decrement(int piece) {
        int c = count[piece];
        if (c == 0) {
            return;
        }
        count[piece] = c - 1;
        if (retired[piece]) {
            return;
        }
        int first = bucketStart[c];
        swap(position[piece], first);
        bucketStart[c] = first + 1;
    }

    /** Adds (or with {@code delta} -1 removes) every piece set in {@code pieces}. */
    public void apply(BitSet pieces, int delta) {
        for (int p = pieces.nextSetBit(0); p >= 0 && p < count.length; p = pieces.nextSetBit(p + 1)) {
            if (delta > 0) {
                increment(p);
            } else {
                decrement(p);
            }
        }
    }

    /** A peer with every piece joined. */
    public void addSeed() {
        seeds++;
    }

    /** A peer with every piece left. */
    public void removeSeed() {
        if (seeds > 0) {
            seeds--;
        }
    }

    /**
     * Takes {@code piece} out of the ordered range for good (we have it). O(count) swaps: it walks down one bucket per
     * step, which is bounded by the number of connected peers.
     */
    public void retire(int piece) {
        if (retired[piece]) {
            return;
        }
        for (int c = count[piece]; c >= 0; c--) {
            int first = bucketStart[c];
            swap(position[piece], first);
            bucketStart[c] = first + 1;
        }
        retired[piece] = true;
    }

    public boolean isRetired(int piece) {
        return retired[piece];
    }

    /** First index in {@link #pieceAt} order of an active piece whose per-piece count is at least {@code c}. */
    public int bucketStart(int c) {
        return c < bucketStart.length ? bucketStart[c] : count.length;
    }

    /** Number of count buckets in use: counts range over {@code [0, bucketLimit())}. */
    public int bucketLimit() {
        int limit = bucketStart.length;
        while (limit > 1 && bucketStart[limit - 1] == count.length) {
            limit--;
        }
        return limit;
    }

    /** The piece at {@code index} in ascending-availability order (retired pieces first). */
    public int pieceAt(int index) {
        return order[index];
    }

    private void swap(int i, int j) {
        if (i == j) {
            return;
        }
        int a = order[i];
        int b = order[j];
        order[i] = b;
        order[j] = a;
        position[b] = i;
        position[a] = j;
    }
}
