package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChokerTest {
    private static final long SECOND = 1_000_000_000L;

    /** Peer i downloads to us at i KB/s and we upload to it at (100 - i) KB/s. */
    private static final Choker.Rates RATES = new Choker.Rates() {
        @Override
        public long downloadBytesPerSecond(int peer) {
            return peer * 1000L;
        }

        @Override
        public long uploadBytesPerSecond(int peer) {
            return (100 - peer) * 1000L;
        }
    };

    private static Choker chokerWith(int peers, ChokerConfig config) {
        Choker choker = new Choker(config, 11);
        for (int i = 1; i <= peers; i++) {
            choker.addPeer(i, 0);
            choker.onInterested(i, true);
        }
        return choker;
    }

    private static int unchokedCount(Choker choker, int peers) {
        int n = 0;
        for (int i = 1; i <= peers; i++) {
            n += choker.isUnchoked(i) ? 1 : 0;
        }
        return n;
    }

    @Test
    void shouldUnchokeBestUploadersToUsWhenLeeching() {
        Choker choker = chokerWith(10, ChokerConfig.defaults());
        choker.rechoke(0, false, RATES);
        for (int i = 7; i <= 10; i++) {
            assertTrue(choker.isUnchoked(i), "tit-for-tat keeps peer " + i);
        }
        assertEquals(5, unchokedCount(choker, 10), "4 regular + 1 optimistic");
        assertEquals(5, choker.changedCount());
        assertEquals(10 * SECOND, choker.nextRechokeNs());
    }

    @Test
    void shouldFavourFastestDownloadersWhenSeeding() {
        Choker choker = chokerWith(10, ChokerConfig.defaults());
        choker.rechoke(0, true, RATES);
        for (int i = 1; i <= 4; i++) {
            assertTrue(choker.isUnchoked(i), "fastest upload keeps peer " + i);
        }
    }

    @Test
    void shouldRotateOptimisticUnchokeEveryThirtySeconds() {
        Choker choker = chokerWith(10, ChokerConfig.defaults());
        int changes = 0;
        int previous = -1;
        for (long t = 0; t <= 600 * SECOND; t += 10 * SECOND) {
            choker.rechoke(t, false, RATES);
            int optimistic = -1;
            for (int i = 1; i <= 10; i++) {
                if (choker.isOptimistic(i)) {
                    optimistic = i;
                }
            }
            assertTrue(optimistic >= 1 && optimistic <= 6, "optimistic comes from the choked peers: " + optimistic);
            if (optimistic != previous) {
                changes++;
                previous = optimistic;
            }
        }
        assertTrue(changes >= 5 && changes <= 21, "rotated " + changes + " times");
    }

    @Test
    void shouldSnubPeerThatSentNothingForSixtySeconds() {
        Choker choker = chokerWith(5, new ChokerConfig(4, 0, 10 * SECOND, 30 * SECOND, 0, 60 * SECOND,
                ChokerConfig.SeedChoking.FASTEST_UPLOAD));
        choker.onWeAreInterested(5, true, 0);
        choker.rechoke(0, false, RATES);
        assertTrue(choker.isUnchoked(5));
        choker.rechoke(61 * SECOND, false, RATES);
        assertTrue(choker.isSnubbed(5, 61 * SECOND));
        assertFalse(choker.isUnchoked(5), "snubbed peers lose their regular slot");
        assertTrue(choker.isUnchoked(1), "the slot goes to the next best");
        choker.onBlockFrom(5, 62 * SECOND);
        choker.rechoke(70 * SECOND, false, RATES);
        assertTrue(choker.isUnchoked(5));
    }

    @Test
    void shouldGiveEveryPeerATurnWhenSeedingRoundRobin() {
        ChokerConfig config = new ChokerConfig(2, 0, 10 * SECOND, 30 * SECOND, 0, 60 * SECOND,
                ChokerConfig.SeedChoking.ROUND_ROBIN);
        Choker choker = chokerWith(6, config);
        boolean[] served = new boolean[7];
        for (long t = 0; t <= 200 * SECOND; t += 10 * SECOND) {
            choker.rechoke(t, true, RATES);
            assertEquals(2, unchokedCount(choker, 6));
            for (int i = 1; i <= 6; i++) {
                served[i] |= choker.isUnchoked(i);
            }
        }
        for (int i = 1; i <= 6; i++) {
            assertTrue(served[i], "peer " + i + " never unchoked");
        }
    }

    @Test
    void shouldUnchokeNewPeersOnConnectOnlyWhileASlotIsFree() {
        Choker choker = new Choker(ChokerConfig.defaults(), 11);
        int slots = choker.slots();
        for (int peer = 1; peer <= slots + 1; peer++) {
            choker.addPeer(peer, 0);
            assertEquals(peer <= slots, choker.unchokeOnConnect(peer, 0), "peer " + peer);
        }
        assertEquals(slots, choker.unchokedCount());
        // The next rechoke decides as usual: peers that never became interested give their slots back.
        choker.onInterested(slots + 1, true);
        choker.rechoke(SECOND, true, RATES);
        assertTrue(choker.isUnchoked(slots + 1));
        assertEquals(1, choker.unchokedCount());
    }

    @Test
    void shouldNeverUnchokeUninterestedPeers() {
        Choker choker = chokerWith(3, ChokerConfig.defaults());
        choker.onInterested(2, false);
        choker.rechoke(0, false, RATES);
        assertFalse(choker.isUnchoked(2));
        choker.removePeer(1);
        choker.rechoke(10 * SECOND, false, RATES);
        assertFalse(choker.isUnchoked(1));
        assertTrue(choker.isUnchoked(3));
    }

    @Test
    void shouldPickNewPeersThreeTimesAsOftenForOptimisticUnchoke() {
        ChokerConfig config = new ChokerConfig(4, 1, 10 * SECOND, 30 * SECOND, 1_000_000 * SECOND, 60 * SECOND,
                ChokerConfig.SeedChoking.FASTEST_UPLOAD);
        Choker choker = new Choker(config, 5);
        for (int i = 1; i <= 10; i++) {
            // Peers 7..10 are the best uploaders and hold the regular slots; peer 1 is new, 2..6 are old.
            choker.addPeer(i, i == 1 ? 2_000_000 * SECOND : 0);
            choker.onInterested(i, true);
        }
        int newPicked = 0;
        int rounds = 3000;
        for (int round = 0; round < rounds; round++) {
            choker.rechoke(2_000_000 * SECOND + round * 30 * SECOND, false, RATES);
            newPicked += choker.isOptimistic(1) ? 1 : 0;
        }
        // Weights 3 (new) against 5 x 1 (old): the new peer should win 3/8 of the draws.
        double share = (double) newPicked / rounds;
        assertTrue(Math.abs(share - 3.0 / 8) < 0.05, "new peer share " + share);
    }
}
