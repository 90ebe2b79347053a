package io.shoal.peer.swarm;

import java.util.BitSet;

/**
 * Per-block download state of one torrent in flat arrays: received or not, how many peers it is outstanding at, and
 * per piece how many blocks are still untouched (neither received nor requested). Keeps the list of partial pieces
 * (started, not complete) that the picker finishes first, and the global untouched count that decides endgame.
 */
final class BlockTable {
    private final BlockLayout layout;
    private final BitSet received = new BitSet();
    private final byte[] requests;
    private final int[] untouched;
    private final int[] receivedCount;
    private final boolean[] have;
    private final int[] partial;
    private final int[] partialIndex;
    private int partialSize;
    private long untouchedTotal;

    BlockTable(BlockLayout layout) {
        this.layout = layout;
        int pieces = layout.pieceCount();
        requests = new byte[layout.blockSlots()];
        untouched = new int[pieces];
        receivedCount = new int[pieces];
        have = new boolean[pieces];
        partial = new int[pieces];
        partialIndex = new int[pieces];
        for (int p = 0; p < pieces; p++) {
            untouched[p] = layout.blockCount(p);
            untouchedTotal += untouched[p];
            partialIndex[p] = -1;
        }
    }

    boolean have(int piece) {
        return have[piece];
    }

    boolean received(int block) {
        return received.get(block);
    }

    int requests(int block) {
        return requests[block];
    }

    int untouched(int piece) {
        return untouched[piece];
    }

    /** Neither requested nor received, and not verified: a fresh piece for the rarest-first pass. */
    boolean isNew(int piece) {
        return !have[piece] && partialIndex[piece] < 0 && receivedCount[piece] == 0;
    }

    boolean isComplete(int piece) {
        return !have[piece] && receivedCount[piece] == layout.blockCount(piece);
    }

    long untouchedTotal() {
        return untouchedTotal;
    }

    int partialCount() {
        return partialSize;
    }

    int partialAt(int i) {
        return partial[i];
    }

    /** One more peer was asked for {@code block}. */
    void addRequest(int block) {
        int piece = layout.pieceOf(block);
        if (requests[block] == 0 && !received.get(block)) {
            untouched[piece]--;
            untouchedTotal--;
        }
        if (requests[block] < Byte.MAX_VALUE) {
            requests[block]++;
        }
        markPartial(piece);
    }

    /** One outstanding request for {@code block} ended without the block (reject, timeout, peer gone). */
    void dropRequest(int block) {
        if (requests[block] == 0) {
            return;
        }
        requests[block]--;
        int piece = layout.pieceOf(block);
        if (requests[block] == 0 && !received.get(block) && !have[piece]) {
            untouched[piece]++;
            untouchedTotal++;
            if (untouched[piece] == layout.blockCount(piece) && receivedCount[piece] == 0) {
                unmarkPartial(piece);
            }
        }
    }

    /**
     * Records the arrival of {@code block}; the caller has already dropped every outstanding request for it.
     * Returns false when it was already received (a duplicate).
     */
    boolean receive(int block) {
        int piece = layout.pieceOf(block);
        if (have[piece] || received.get(block)) {
            return false;
        }
        received.set(block);
        if (requests[block] == 0) {
            untouched[piece]--;
            untouchedTotal--;
        }
        receivedCount[piece]++;
        if (receivedCount[piece] == layout.blockCount(piece)) {
            unmarkPartial(piece);
        } else {
            markPartial(piece);
        }
        return true;
    }

    /** The piece passed its hash check. */
    void verified(int piece) {
        if (have[piece]) {
            return;
        }
        untouchedTotal -= untouched[piece];
        untouched[piece] = 0;
        have[piece] = true;
        unmarkPartial(piece);
    }

    /** The piece failed its hash check: every block is missing again. Requires no outstanding requests in it. */
    void reset(int piece) {
        int first = layout.firstBlock(piece);
        int blocks = layout.blockCount(piece);
        received.clear(first, first + blocks);
        untouchedTotal += blocks - untouched[piece];
        untouched[piece] = blocks;
        receivedCount[piece] = 0;
        unmarkPartial(piece);
    }

    private void markPartial(int piece) {
        if (partialIndex[piece] < 0 && receivedCount[piece] < layout.blockCount(piece)) {
            partialIndex[piece] = partialSize;
            partial[partialSize++] = piece;
        }
    }

    private void unmarkPartial(int piece) {
        int i = partialIndex[piece];
        if (i < 0) {
            return;
        }
        int last = partial[--partialSize];
        partial[i] = last;
        partialIndex[last] = i;
        partialIndex[piece] = -1;
    }
}
