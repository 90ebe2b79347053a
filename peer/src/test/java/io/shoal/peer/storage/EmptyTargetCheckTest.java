package io.shoal.peer.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up check reads only pieces that may hold data: a file created just now holds none. */
class EmptyTargetCheckTest {
    private static final int PIECE = 16 << 10;
    /** Five pieces; piece 2 spans both files. */
    private static final List<StoredFile> FILES = List.of(
        new StoredFile(List.of("t", "a.bin"), 40_000),
        new StoredFile(List.of("t", "b.bin"), 30_001));
    private static final int TOTAL = 70_001;

    @TempDir
    Path root;

    private static byte[] hashes(byte[] data) throws Exception {
        return FileStorageTest.pieceHashes(data, PIECE);
    }

    private static byte[] randomContent() {
        byte[] data = new byte[TOTAL];
        new SplittableRandom(7).nextBytes(data);
        return data;
    }

    private static BitSet all() {
        BitSet b = new BitSet();
        b.set(0, (TOTAL + PIECE - 1) / PIECE);
        return b;
    }

    @Test
    void shouldReadNothingWhenTheTargetFolderIsEmpty() throws Exception {
        try (PieceVerifier verifier = new PieceVerifier(2);
             FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            BitSet have = verifier.recheck(s, hashes(randomContent()), null);
            assertEquals(new BitSet(), have);
            assertEquals(0, verifier.piecesRead());
        }
    }

    @Test
    void shouldFindAllZeroPiecesWithoutReadingThem() throws Exception {
        // A torrent of zeros: a fresh file already holds it, and the check must say so (nothing to download).
        try (PieceVerifier verifier = new PieceVerifier(2);
             FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            assertEquals(all(), verifier.recheck(s, hashes(new byte[TOTAL]), null));
            assertEquals(0, verifier.piecesRead());
        }
    }

    @Test
    void shouldReadPiecesThatMayHoldDataWhenAFileExistedShorter() throws Exception {
        byte[] data = randomContent();
        // As after a crash before the file was extended: a.bin holds its first 20 000 bytes.
        Files.createDirectories(root.resolve("t"));
        Files.write(root.resolve("t/a.bin"), Arrays.copyOf(data, 20_000));
        try (PieceVerifier verifier = new PieceVerifier(2);
             FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            BitSet have = verifier.recheck(s, hashes(data), null);
            // Piece 0 lies in the old bytes and verifies; piece 1 straddles the old end and is read (and fails).
            BitSet expected = new BitSet();
            expected.set(0);
            assertEquals(expected, have);
            assertEquals(2, verifier.piecesRead());
        }
    }

    @Test
    void shouldReadEveryPieceOnceABlockWasWritten() throws Exception {
        byte[] data = randomContent();
        try (PieceVerifier verifier = new PieceVerifier(2);
             FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            s.writeBlock(3, 0, ByteBuffer.wrap(data, 3 * PIECE, PIECE));
            BitSet have = verifier.verify(s, hashes(data), all(), piece -> { });
            BitSet expected = new BitSet();
            expected.set(3);
            assertEquals(expected, have);
            assertEquals(all().cardinality(), verifier.piecesRead());
        }
    }
}
