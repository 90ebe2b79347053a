package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class SuperSeederTest {
    private static final int PIECES = 16;
    private static final int PIECE_BYTES = 256 * 1024;
    private static final BlockLayout LAYOUT = BlockLayout.of((long) PIECES * PIECE_BYTES, PIECE_BYTES);

    private final int[] out = new int[SuperSeeder.MAX_AHEAD];

    private static SuperSeeder seeder(int... peers) {
        SuperSeeder s = new SuperSeeder(LAYOUT, 8, 7);
        for (int peer : peers) {
            s.addPeer(peer, 0);
            s.onAnnounced(peer);
        }
        return s;
    }

    private BitSet topUp(SuperSeeder s, int peer, boolean choked, long rate, long nowNs) {
        int n = s.topUp(peer, choked, rate, 0, nowNs, out);
        BitSet shown = new BitSet();
        for (int i = 0; i < n; i++) {
            shown.set(out[i]);
        }
        assertEquals(n, shown.cardinality(), "a piece revealed twice in one top-up");
        return shown;
    }

    @Test
    void shouldRevealDisjointPiecesWhenTwoPeersStart() {
        SuperSeeder s = seeder(0, 1);
        BitSet a = topUp(s, 0, false, 0, 0);
        BitSet b = topUp(s, 1, false, 0, 0);
        assertEquals(SuperSeeder.MIN_AHEAD, a.cardinality());
        assertEquals(SuperSeeder.MIN_AHEAD, b.cardinality());
        assertFalse(a.intersects(b), a + " and " + b);
    }

    @Test
    void shouldRevealNothingBeforeOpeningIsSent() {
        SuperSeeder s = new SuperSeeder(LAYOUT, 8, 7);
        s.addPeer(0, 0);
        assertEquals(0, s.topUp(0, false, 0, 0, 0, out));
        s.onAnnounced(0);
        assertEquals(SuperSeeder.MIN_AHEAD, s.topUp(0, false, 0, 0, 0, out));
    }

    @Test
    void shouldRevealOnePieceWhenPeerIsChoked() {
        assertEquals(1, topUp(seeder(0), 0, true, 0, 0).cardinality());
    }

    @Test
    void shouldRevealAheadByUploadRateWhenPeerIsFast() {
        long rate = 6L * PIECE_BYTES; // six pieces a second: two seconds ahead is twelve pieces
        assertEquals(12, topUp(seeder(0), 0, false, rate, 0).cardinality());
    }

    @Test
    void shouldShowALoneDownloaderItsRequestQueueWorthWhileTheRateIsStillZero() {
        SuperSeeder s = seeder(0);
        int reqq = 64; // 64 blocks of 16 KiB: 4 pieces of 256 KiB on top of the rate budget's floor
        assertEquals(SuperSeeder.MIN_AHEAD + 4, s.topUp(0, false, 0, reqq, 0, out));
        assertEquals(0, s.topUp(0, false, 0, reqq, 1, out), "budget is full");
    }

    @Test
    void shouldKeepTheRateBudgetWhileASecondPeerLacksPieces() {
        SuperSeeder s = seeder(0, 1);
        assertEquals(SuperSeeder.MIN_AHEAD, s.topUp(0, false, 0, 64, 0, out));
        s.removePeer(1); // peer 0 is alone again
        assertEquals(4, s.topUp(0, false, 0, 64, 1, out));
    }

    @Test
    void shouldShowNextPieceWhenPeerReportsRevealedOne() {
        SuperSeeder s = seeder(0);
        BitSet first = topUp(s, 0, false, 0, 0);
        assertEquals(0, s.topUp(0, false, 0, 0, 1, out), "budget is full");
        s.onHave(0, first.nextSetBit(0), 2);
        BitSet next = topUp(s, 0, false, 0, 3);
        assertEquals(1, next.cardinality());
        assertFalse(first.intersects(next));
    }

    @Test
    void shouldNotRevealPiecesOthersHoldUntilPeerStalls() {
        SuperSeeder s = seeder(0, 1);
        for (int p = 0; p < PIECES; p++) {
            s.onHave(0, p, 0);
        }
        assertEquals(0, s.topUp(1, false, 0, 0, SuperSeeder.STALL_NS, out), "peer 0 can give everything");
        BitSet rescue = topUp(s, 1, false, 0, SuperSeeder.STALL_NS + 1);
        assertEquals(1, rescue.cardinality(), "a stalled peer gets one piece anyway");
        assertEquals(0, s.topUp(1, false, 0, 0, SuperSeeder.STALL_NS + 2, out), "one rescue per stall period");
    }

    @Test
    void shouldRevealAgainWhenOnlyHolderLeaves() {
        SuperSeeder s = seeder(0, 1);
        for (int p = 0; p < PIECES; p++) {
            s.onHave(0, p, 0);
        }
        assertEquals(0, s.topUp(1, false, 0, 0, 1, out));
        s.removePeer(0);
        assertEquals(SuperSeeder.MIN_AHEAD, topUp(s, 1, false, 0, 2).cardinality());
    }

    @Test
    void shouldOfferRevealToAnotherPeerWhenItLapses() {
        SuperSeeder s = seeder(0, 1);
        BitSet a = topUp(s, 0, false, 8L * PIECE_BYTES, 0);
        assertEquals(PIECES, a.cardinality(), "a fast lone peer is shown everything");
        assertEquals(0, s.topUp(1, false, 0, 0, 1, out), "everything is being fetched by peer 0");
        s.expire(SuperSeeder.REVEAL_TIMEOUT_NS + 1);
        assertEquals(SuperSeeder.MIN_AHEAD, topUp(s, 1, false, 0, SuperSeeder.REVEAL_TIMEOUT_NS + 2).cardinality());
    }

    @Test
    void shouldRevealNothingToSeedPeer() {
        SuperSeeder s = seeder(0);
        s.onHaveAll(0);
        assertEquals(0, s.topUp(0, false, 0, 0, SuperSeeder.STALL_NS * 2, out));
        assertEquals(0, s.topUp(0, true, 0, 0, 0, out));
    }

    @Test
    void shouldCountWireBitfieldAsHeldPieces() {
        SuperSeeder s = seeder(0, 1);
        s.onBitfield(0, new byte[] {(byte) 0xFF, (byte) 0x7F}, 0); // every piece but piece 8
        BitSet shown = topUp(s, 1, false, 0, 1);
        assertEquals(1, shown.cardinality(), "only the piece nobody holds: " + shown);
        assertTrue(shown.get(8), shown.toString());
    }
}
