package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BadPeerTrackerTest {
    private static final BlockLayout LAYOUT = BlockLayout.of(4L * BlockLayout.BLOCK_BYTES * 3, 4 * 16384);

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i});
    }

    private static ByteBuffer piece(int corruptBlock) {
        byte[] data = new byte[LAYOUT.pieceBytes()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        if (corruptBlock >= 0) {
            data[corruptBlock * LAYOUT.blockBytes() + 5] ^= 1;
        }
        return ByteBuffer.wrap(data);
    }

    private static BadPeerTracker trackerWith(int peers) throws UnknownHostException {
        BadPeerTracker tracker = new BadPeerTracker(LAYOUT, 5, 16);
        for (int i = 1; i <= peers; i++) {
            assertTrue(tracker.onPeerConnected(i, address(i)));
        }
        return tracker;
    }

    @Test
    void shouldBanSoleContributorWhenPieceFails() throws Exception {
        BadPeerTracker tracker = trackerWith(2);
        for (int b = 0; b < 4; b++) {
            tracker.onBlockStored(1, b);
        }
        assertEquals(1, tracker.onPieceFailed(0, piece(2)));
        assertEquals(1, tracker.newlyBanned(0));
        assertTrue(tracker.isBanned(address(1)));
        assertFalse(tracker.onPeerConnected(9, address(1)), "a banned address is refused for the session");
        assertFalse(tracker.isBannedPeer(2));
    }

    @Test
    void shouldFindTheLiarByBlockHashesWhenPieceLaterPasses() throws Exception {
        BadPeerTracker tracker = trackerWith(3);
        int[] who = {1, 2, 3, 1};
        for (int b = 0; b < 4; b++) {
            tracker.onBlockStored(who[b], LAYOUT.firstBlock(1) + b);
        }
        assertEquals(0, tracker.onPieceFailed(1, piece(1)), "several contributors: strikes, no ban yet");
        assertEquals(1, tracker.strikes(2));
        assertTrue(tracker.needsDataOnPass(1));
        for (int b = 0; b < 4; b++) {
            tracker.onBlockStored(3, LAYOUT.firstBlock(1) + b);
        }
        assertEquals(1, tracker.onPiecePassed(1, piece(-1)));
        assertEquals(2, tracker.newlyBanned(0), "peer 2 sent block 1, the one that differed");
        assertTrue(tracker.isBannedPeer(2));
        assertFalse(tracker.isBannedPeer(1));
        assertFalse(tracker.isBannedPeer(3));
        assertFalse(tracker.needsDataOnPass(1));
    }

    @Test
    void shouldBanAfterMaxStrikesWhenNeverResolved() throws Exception {
        BadPeerTracker tracker = trackerWith(2);
        int banned = 0;
        for (int round = 0; round < 5; round++) {
            int piece = round % 3;
            tracker.onBlockStored(1, LAYOUT.firstBlock(piece));
            tracker.onBlockStored(2, LAYOUT.firstBlock(piece) + 1);
            banned += tracker.onPieceFailed(piece, piece(0));
        }
        assertEquals(2, banned, "both reach 5 strikes");
        assertTrue(tracker.isBannedPeer(1) && tracker.isBannedPeer(2));
    }
}
