package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PieceAvailabilityTest {
    @Test
    void shouldKeepPiecesOrderedByCountWhenUpdatedRandomly() {
        long seed = Long.getLong("shoal.seed", 42L);
        SplittableRandom random = new SplittableRandom(seed);
        int pieces = 97;
        PieceAvailability a = new PieceAvailability(pieces);
        int[] expected = new int[pieces];
        for (int step = 0; step < 20_000; step++) {
            int p = random.nextInt(pieces);
            if (random.nextInt(3) == 0) {
                a.decrement(p);
                expected[p] = Math.max(0, expected[p] - 1);
            } else {
                a.increment(p);
                expected[p]++;
            }
            if (step % 500 == 0) {
                a.retire(random.nextInt(pieces));
            }
        }
        int previous = -1;
        BitSet seen = new BitSet();
        for (int i = 0; i < pieces; i++) {
            int p = a.pieceAt(i);
            seen.set(p);
            assertEquals(expected[p], a.availability(p), "seed " + seed);
            if (i >= a.bucketStart(0)) {
                assertTrue(expected[p] >= previous, "order broken at " + i + ", seed " + seed);
                previous = expected[p];
            } else {
                assertTrue(a.isRetired(p), "seed " + seed);
            }
        }
        assertEquals(pieces, seen.cardinality());
    }

    @Test
    void shouldFindBucketsWithoutSortingWhenPeersJoinAndLeave() {
        PieceAvailability a = new PieceAvailability(4);
        BitSet peer = new BitSet();
        peer.set(1);
        peer.set(3);
        a.apply(peer, 1);
        a.increment(3);
        assertEquals(2, a.bucketStart(1) - a.bucketStart(0), "pieces 0 and 2 nobody has");
        assertEquals(3, a.pieceAt(3), "piece 3 is the most common");
        a.apply(peer, -1);
        a.addSeed();
        assertEquals(1, a.availability(0));
        assertEquals(2, a.availability(3));
        a.removeSeed();
        a.decrement(0);
        assertEquals(0, a.availability(0), "a stray decrement never goes below zero");
    }
}
