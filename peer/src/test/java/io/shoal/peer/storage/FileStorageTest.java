package io.shoal.peer.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStorageTest {
    private static final int PIECE = 16 << 10;
    private static final PieceVerifier VERIFIER = new PieceVerifier(2);
    private static final List<StoredFile> FILES = List.of(
        new StoredFile(List.of("t", "a.bin"), 40_000),
        new StoredFile(List.of("t", "empty"), 0),
        new StoredFile(List.of("t", "d", "b.bin"), 30_001),
        new StoredFile(List.of("t", "c.bin"), 1));

    @TempDir
    Path root;

    @AfterAll
    static void stop() {
        VERIFIER.close();
    }

    /** The torrent's content as one stream, and its piece hashes. */
    private static byte[] content() {
        byte[] data = new byte[70_002];
        new Random(42).nextBytes(data);
        return data;
    }

    private static byte[] hashes(byte[] data) throws Exception {
        return pieceHashes(data, PIECE);
    }

    /** The SHA-1 of each {@code piece}-byte piece of {@code data}, concatenated (a torrent's {@code pieces}). */
    static byte[] pieceHashes(byte[] data, int piece) throws Exception {
        int n = (data.length + piece - 1) / piece;
        byte[] out = new byte[n * 20];
        for (int i = 0; i < n; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, i * piece, Math.min(piece, data.length - i * piece));
            System.arraycopy(sha1.digest(), 0, out, i * 20, 20);
        }
        return out;
    }

    private static void writeAll(FileStorage s, byte[] data) throws IOException {
        // Blocks of 5000 bytes, so writes straddle piece and file boundaries.
        PieceLayout l = s.layout();
        for (int p = 0; p < l.pieceCount(); p++) {
            for (int off = 0; off < l.pieceSize(p); off += 5000) {
                int len = Math.min(5000, l.pieceSize(p) - off);
                s.writeBlock(p, off, ByteBuffer.wrap(data, p * PIECE + off, len));
            }
        }
    }

    @Test
    void shouldCreateSparseFilesAndMapBlocksAcrossBoundaries() throws Exception {
        byte[] data = content();
        try (FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            assertEquals(40_000, Files.size(root.resolve("t/a.bin")));
            assertEquals(0, Files.size(root.resolve("t/empty")));
            assertEquals(30_001, Files.size(root.resolve("t/d/b.bin")));
            writeAll(s, data);
            ByteBuffer block = ByteBuffer.allocate(9000);
            s.readBlock(2, 4000, block);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 2 * PIECE + 4000, 2 * PIECE + 13_000), block.array());
            BitSet good = VERIFIER.verify(s, hashes(data), all(s), p -> { });
            assertEquals(s.layout().pieceCount(), good.cardinality());
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 70_001, 70_002), Files.readAllBytes(root.resolve("t/c.bin")));
    }

    @Test
    void shouldTrustResumeDataOnlyForFilesThatDidNotChange() throws Exception {
        byte[] data = content();
        byte[] hashes = hashes(data);
        byte[] infoHash = new byte[20];
        Path resume = root.resolve("t.resume");
        try (FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            writeAll(s, data);
            BitSet verified = VERIFIER.verify(s, hashes, all(s), p -> { });
            ResumeData.capture(infoHash, verified, s).save(resume);
        }
        // As after kill -9 and a tamper: one byte of b.bin changes and so does its modification time.
        Path b = root.resolve("t/d/b.bin");
        byte[] bytes = Files.readAllBytes(b);
        bytes[20_000] ^= 1;
        Files.write(b, bytes);
        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 5_000));
        try (FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            ResumeData loaded = ResumeData.load(resume, infoHash);
            BitSet trusted = loaded.trustedPieces(s);
            // b.bin spans pieces 2..4; a.bin-only pieces 0 and 1 stay trusted without reading them.
            assertEquals(bits(0, 1), trusted);
            BitSet after = VERIFIER.recheck(s, hashes, loaded);
            int bad = (40_000 + 20_000) / PIECE;
            BitSet expected = all(s);
            expected.clear(bad);
            assertEquals(expected, after);
        }
    }

    @Test
    void shouldIgnoreResumeDataForAnotherTorrentOrWhenMissing() throws Exception {
        Path resume = root.resolve("x.resume");
        assertNull(ResumeData.load(resume, new byte[20]));
        try (FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            ResumeData.capture(new byte[20], bits(0), s).save(resume);
        }
        byte[] other = new byte[20];
        other[0] = 1;
        assertNull(ResumeData.load(resume, other));
        Files.write(resume, new byte[] {'d', 'x'});
        assertNull(ResumeData.load(resume, new byte[20]));
        assertTrue(Files.list(root).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void shouldHashEveryPieceOnSeveralThreads() throws Exception {
        byte[] data = content();
        try (FileStorage s = FileStorage.create(root, FILES, PIECE)) {
            writeAll(s, data);
            BitSet seen = new BitSet();
            assertArrayEquals(hashes(data), VERIFIER.hashAll(s, seen::set));
            assertEquals(s.layout().pieceCount(), seen.cardinality());
        }
    }

    private static BitSet all(FileStorage s) {
        BitSet b = new BitSet();
        b.set(0, s.layout().pieceCount());
        return b;
    }

    private static BitSet bits(int... indexes) {
        BitSet b = new BitSet();
        for (int i : indexes) {
            b.set(i);
        }
        return b;
    }
}
