package io.shoal.peer.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PieceLayoutTest {
    private static PieceLayout.Span span(int file, long offset, int length) {
        return new PieceLayout.Span(file, offset, length);
    }

    @Test
    void shouldSplitPiecesAcrossFileBoundariesSkippingEmptyFiles() {
        // Files: 10, 0, 5, 0, 0, 17 bytes; pieces of 8: 32 bytes -> 4 pieces.
        PieceLayout l = new PieceLayout(new long[] {10, 0, 5, 0, 0, 17}, 8);
        assertEquals(4, l.pieceCount());
        assertEquals(32, l.totalLength());
        assertEquals(List.of(span(0, 0, 8)), l.spans(0, 0, 8));
        assertEquals(List.of(span(0, 8, 2), span(2, 0, 5), span(5, 0, 1)), l.spans(1, 0, 8));
        assertEquals(List.of(span(2, 2, 3), span(5, 0, 1)), l.spans(1, 4, 4));
        assertEquals(List.of(span(5, 1, 8)), l.spans(2, 0, 8));
        assertEquals(List.of(span(5, 9, 8)), l.spans(3, 0, 8));
        assertEquals(List.of(), l.spans(3, 8, 0));
    }

    @Test
    void shouldReportShortLastPieceAndPieceRangesOfFiles() {
        PieceLayout l = new PieceLayout(new long[] {0, 20, 0, 3}, 16);
        assertEquals(2, l.pieceCount());
        assertEquals(16, l.pieceSize(0));
        assertEquals(7, l.pieceSize(1));
        assertEquals(0, l.firstPieceOf(1));
        assertEquals(2, l.endPieceOf(1));
        assertEquals(1, l.firstPieceOf(3));
        assertEquals(2, l.endPieceOf(3));
        assertEquals(l.firstPieceOf(0), l.endPieceOf(0));
        assertEquals(List.of(span(1, 16, 4), span(3, 0, 3)), l.spans(1, 0, 7));
    }

    @Test
    void shouldRejectRangesOutsideThePiece() {
        PieceLayout l = new PieceLayout(new long[] {20}, 16);
        assertThrows(IllegalArgumentException.class, () -> l.spans(1, 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> l.pieceSize(2));
        assertThrows(IllegalArgumentException.class, () -> new PieceLayout(new long[] {1}, 0));
    }
}
