package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class PiecePickerTest {
    private static final int PIECE = 4 * BlockLayout.BLOCK_BYTES;
    private final int[] out = new int[64];

    private static PiecePicker picker(int pieces, PickerConfig config) {
        return new PiecePicker(BlockLayout.of((long) pieces * PIECE, PIECE), config, 7);
    }

    private static BitSet bits(int... pieces) {
        BitSet b = new BitSet();
        for (int p : pieces) {
            b.set(p);
        }
        return b;
    }

    private static void connect(PiecePicker picker, int peer, BitSet has) {
        picker.addPeer(peer);
        picker.onBitfield(peer, has);
        picker.onUnchoke(peer);
    }

    @Test
    void shouldPickRarestPieceWhenPastRandomStart() {
        PiecePicker picker = picker(8, new PickerConfig(0, false, 1, 2));
        connect(picker, 1, bits(0, 1, 2, 3, 4, 5, 6, 7));
        connect(picker, 2, bits(0, 1, 2, 3, 4, 6, 7));
        connect(picker, 3, bits(0, 1, 2, 3, 4, 6, 7));
        int n = picker.pick(1, 0, 4, 0, out);
        assertEquals(4, n);
        for (int i = 0; i < n; i++) {
            assertEquals(5, picker.layout().pieceOf(out[i]), "piece 5 is the only one with one source");
        }
    }

    @Test
    void shouldFinishPartialPiecesBeforeStartingNewOnes() {
        PiecePicker picker = picker(8, new PickerConfig(0, false, 1, 2));
        BitSet all = bits(0, 1, 2, 3, 4, 5, 6, 7);
        connect(picker, 1, all);
        connect(picker, 2, all);
        int n = picker.pick(1, 0, 2, 0, out);
        int piece = picker.layout().pieceOf(out[0]);
        assertEquals(2, n);
        assertEquals(2, picker.pick(2, 0, 2, 0, out));
        assertEquals(piece, picker.layout().pieceOf(out[0]), "peer 2 joins the started piece");
        assertEquals(piece, picker.layout().pieceOf(out[1]));
    }

    @Test
    void shouldPickInOrderWithinReadaheadWhenSequential() {
        PiecePicker picker = picker(16, PickerConfig.sequential(3));
        connect(picker, 1, bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        int n = picker.pick(1, 0, 12, 0, out);
        assertEquals(12, n);
        for (int i = 0; i < n; i++) {
            assertEquals(i / 4, picker.layout().pieceOf(out[i]));
        }
    }

    @Test
    void shouldRequestDuplicatesInEndgameAndCancelOnArrival() {
        PiecePicker picker = picker(1, new PickerConfig(0, false, 1, 2));
        connect(picker, 1, bits(0));
        connect(picker, 2, bits(0));
        assertEquals(4, picker.pick(1, 0, 10, 0, out));
        assertTrue(picker.inEndgame());
        assertEquals(4, picker.pick(2, 0, 10, 0, out), "every block asked of a second peer");
        assertEquals(0, picker.pick(2, 0, 10, 0, out), "never twice from the same peer");
        connect(picker, 3, bits(0));
        assertEquals(0, picker.pick(3, 0, 10, 0, out), "duplication bounded at 2 requests per block");
        assertEquals(PiecePicker.BlockResult.ACCEPTED, picker.onBlockReceived(2, 0, 1));
        assertEquals(1, picker.cancelCount());
        assertEquals(1, picker.cancelPeer(0));
        assertEquals(3, picker.outstanding(1));
        assertEquals(PiecePicker.BlockResult.DUPLICATE, picker.onBlockReceived(1, 0, 1));
    }

    @Test
    void shouldRefetchWholePieceFromOnePeerWhenHashFails() {
        PiecePicker picker = picker(1, new PickerConfig(0, false, 1, 1));
        connect(picker, 1, bits(0));
        connect(picker, 2, bits(0));
        picker.pick(1, 0, 2, 0, out);
        picker.pick(2, 0, 2, 0, out);
        PiecePicker.BlockResult last = null;
        for (int b = 0; b < 4; b++) {
            last = picker.onBlockReceived(b < 2 ? 1 : 2, b, 1);
        }
        assertEquals(PiecePicker.BlockResult.PIECE_COMPLETE, last);
        picker.onPieceFailed(0);
        assertEquals(1, picker.pick(2, 0, 1, 2, out));
        assertEquals(0, picker.pick(1, 0, 4, 2, out), "the failed piece now belongs to peer 2 alone");
        assertEquals(3, picker.pick(2, 0, 4, 2, out));
        picker.onPeerGone(2);
        assertEquals(4, picker.pick(1, 0, 4, 3, out), "its requests are freed when it leaves");
    }

    @Test
    void shouldFreeTimedOutRequestsAndAcceptTheirLateArrival() {
        PiecePicker picker = picker(2, new PickerConfig(0, false, 1, 1));
        connect(picker, 1, bits(0, 1));
        connect(picker, 2, bits(0, 1));
        assertEquals(8, picker.pick(1, 0, 8, 100, out));
        assertEquals(0, picker.pick(2, 0, 8, 200, out));
        int[] expired = new int[8];
        assertEquals(8, picker.expireRequests(1, 150, expired));
        assertEquals(8, picker.pick(2, 0, 8, 300, out));
        assertEquals(PiecePicker.BlockResult.ACCEPTED, picker.onBlockReceived(1, 0, 400));
        assertEquals(1, picker.cancelCount(), "peer 2's request for the same block is withdrawn");
        assertEquals(7, picker.outstanding(2));
    }

    @Test
    void shouldOnlyPickAllowedFastWhileChoked() {
        PiecePicker picker = picker(4, new PickerConfig(0, false, 1, 1));
        picker.addPeer(1);
        picker.onHaveAll(1);
        assertTrue(picker.isInteresting(1));
        assertEquals(0, picker.pick(1, 0, 8, 0, out));
        picker.onAllowedFast(1, 2);
        assertEquals(4, picker.pick(1, 0, 8, 0, out));
        assertEquals(2, picker.layout().pieceOf(out[0]));
        picker.onRejected(1, out[0]);
        assertEquals(3, picker.outstanding(1));
        picker.onChoke(1, true);
        assertEquals(0, picker.outstanding(1));
    }

    @Test
    void shouldLoseInterestWhenPeerHasNothingWeLack() {
        PiecePicker picker = picker(2, PickerConfig.rarestFirst());
        connect(picker, 1, bits(1));
        assertTrue(picker.isInteresting(1));
        picker.onPieceVerified(1);
        assertFalse(picker.isInteresting(1));
        picker.onHave(1, 0);
        assertTrue(picker.isInteresting(1));
        assertEquals(-1, picker.layout().blockAt(0, 3, BlockLayout.BLOCK_BYTES), "misaligned begin is refused");
        assertEquals(PiecePicker.BlockResult.DUPLICATE, picker.onBlockReceived(1, -5, 0));
    }

    @Test
    void shouldReadWireBitfieldHighBitFirst() {
        PiecePicker picker = picker(10, new PickerConfig(0, false, 1, 1));
        picker.addPeer(1);
        picker.onBitfield(1, new byte[] {(byte) 0x80, (byte) 0x7F, (byte) 0xFF});
        picker.onUnchoke(1);
        assertEquals(8, picker.pick(1, 0, 64, 0, out), "pieces 0 and 9 only, 4 blocks each");
        assertTrue(picker.isInteresting(1));
        picker.onPieceVerified(0);
        picker.onPieceVerified(9);
        assertFalse(picker.isInteresting(1), "piece 8 and spare bits are not pieces it has");
    }
}
