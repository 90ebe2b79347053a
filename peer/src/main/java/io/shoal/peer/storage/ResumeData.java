package io.shoal.peer.storage;

import com.dampcake.bencode.Bencode;
import io.shoal.tracker.bencode.BencodeDict;
import io.shoal.tracker.bencode.BencodeFieldException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a restart may skip re-verifying: the set of pieces verified so far, and each file's size and modification time
 * when that set was recorded. A file whose size or time changed since then is not trusted, and its pieces are checked
 * again; pieces only in unchanged files are trusted as they are.
 *
 * <p>Why this is safe after {@code kill -9}: {@link #capture} forces the data files to disk before it reads their
 * times, and {@link #save} writes a temporary file, forces it, renames it over the old one atomically and forces the
 * folder, so the file on disk is always one complete record whose pieces were on disk before it was written. Pieces
 * marked verified are never written again, so later writes (which change a file's time) cannot invalidate them.
 *
 * <p>File format, a bencoded dictionary: {@code "shoal resume"} = 1, {@code "info hash"} (20 bytes),
 * {@code "pieces"} (count), {@code "verified"} ({@link BitSet#toByteArray()}: bit i of byte i/8 from the low end),
 * {@code "files"} = list of {@code {"length", "mtime ns"}}.
 *
 * @param infoHash   the torrent's 20-byte info hash
 * @param pieceCount number of pieces in the torrent
 * @param verified   pieces verified when recorded
 * @param lengths    each file's size then, in bytes
 * @param mtimesNs   each file's modification time then, nanoseconds since the epoch
 */
public record ResumeData(byte[] infoHash, int pieceCount, BitSet verified, long[] lengths, long[] mtimesNs) {
    /** Largest resume file read back. */
    public static final int MAX_FILE_BYTES = 64 << 20;
    private static final int VERSION = 1;
    private static final Bencode BENCODE = new Bencode(true);

    /** Copies the arrays and the set. */
    public ResumeData {
        infoHash = infoHash.clone();
        verified = (BitSet) verified.clone();
        lengths = lengths.clone();
        mtimesNs = mtimesNs.clone();
        if (infoHash.length != 20 || lengths.length != mtimesNs.length || verified.length() > pieceCount) {
            throw new IllegalArgumentException("inconsistent resume data");
        }
    }

    /** Forces {@code storage}'s data to disk, then records {@code verified} with each file's current size and time. */
    public static ResumeData capture(byte[] infoHash, BitSet verified, FileStorage storage) throws IOException {
        storage.sync();
        int n = storage.fileCount();
        long[] lengths = new long[n];
        long[] mtimes = new long[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = Files.size(storage.path(i));
            mtimes[i] = mtimeNs(storage.path(i));
        }
        return new ResumeData(infoHash, storage.layout().pieceCount(), verified, lengths, mtimes);
    }

    /** Pieces still trustworthy: recorded as verified and lying only in files whose size and time are unchanged. */
    public BitSet trustedPieces(FileStorage storage) throws IOException {
        PieceLayout layout = storage.layout();
        BitSet trusted = new BitSet(layout.pieceCount());
        if (layout.pieceCount() != pieceCount || storage.fileCount() != lengths.length) {
            return trusted;
        }
        trusted.or(verified);
        for (int i = 0; i < lengths.length; i++) {
            Path p = storage.path(i);
            boolean same = Files.exists(p) && Files.size(p) == lengths[i] && mtimeNs(p) == mtimesNs[i];
            if (!same && layout.endPieceOf(i) > layout.firstPieceOf(i)) {
                trusted.clear(layout.firstPieceOf(i), layout.endPieceOf(i));
            }
        }
        return trusted;
    }

    /** Writes this record to {@code file} atomically and durably (temporary file, force, atomic rename, force). */
    public void save(Path file) throws IOException {
        Map<String, Object> dict = new TreeMap<>();
        dict.put("shoal resume", VERSION);
        dict.put("info hash", ByteBuffer.wrap(infoHash));
        dict.put("pieces", pieceCount);
        dict.put("verified", ByteBuffer.wrap(verified.toByteArray()));
        List<Object> files = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            files.add(Map.of("length", lengths[i], "mtime ns", mtimesNs[i]));
        }
        dict.put("files", files);
        byte[] bytes = BENCODE.encode(dict);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /**
     * Reads resume data for {@code infoHash} from {@code file}.
     *
     * @return the record, or {@code null} when the file is missing, unreadable, for another torrent or malformed
     *     (a restart then simply verifies everything)
     */
    public static ResumeData load(Path file, byte[] infoHash) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            BencodeDict d = BencodeDict.decode(bytes, 0, bytes.length, 4_000_000);
            long pieces = d.integer("pieces");
            List<Object> files = d.list("files");
            if (d.integer("shoal resume") != VERSION || !Arrays.equals(d.bytes("info hash"), infoHash)
                || pieces < 0 || pieces > Integer.MAX_VALUE) {
                return null;
            }
            long[] lengths = new long[files.size()];
            long[] mtimes = new long[files.size()];
            for (int i = 0; i < lengths.length; i++) {
                BencodeDict f = BencodeDict.asDict(files.get(i), "files");
                lengths[i] = f.integer("length");
                mtimes[i] = f.integer("mtime ns");
            }
            BitSet verified = BitSet.valueOf(d.bytes("verified"));
            return verified.length() > pieces ? null
                : new ResumeData(infoHash, (int) pieces, verified, lengths, mtimes);
        } catch (BencodeFieldException e) {
            return null;
        }
    }

    private static long mtimeNs(Path p) throws IOException {
        java.time.Instant t = Files.getLastModifiedTime(p).toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable on Linux; some platforms cannot open a folder, where the rename must do.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            return;
        }
    }
}
