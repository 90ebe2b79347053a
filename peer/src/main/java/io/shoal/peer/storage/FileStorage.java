package io.shoal.peer.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A torrent's files on disk, read and written by piece with positional I/O ({@link FileChannel#read(ByteBuffer,
 * long)}), which is safe from several threads at once. Files are opened on first use, so a torrent of many files
 * does not hold a descriptor per file until it needs one.
 *
 * <p>{@link #create} sanitises every path with {@link PathSanitizer}, makes the folders and extends each file to its
 * length without writing data (a sparse file on file systems that support them). {@link #readOnly} opens existing
 * files as they are, for hashing a folder into a new torrent.
 *
 * <p>{@link #create} also remembers how long each file was before it extended it: bytes past that length were never
 * written and read as zero, so a piece lying wholly in them needs no reading to be checked ({@link #readsAsZeros}).
 */
public final class FileStorage implements Closeable {
    private static final int SHA1_BYTES = 20;

    private final List<Path> paths;
    private final PieceLayout layout;
    private final boolean writable;
    private final FileChannel[] channels;
    /** Per file, its length on disk before {@link #create} (bytes beyond it are zeros); null for read-only storage. */
    private final long[] priorLengths;
    /** Set by the first write: from then on nothing is known to read as zero. */
    private volatile boolean written;

    private FileStorage(List<Path> paths, PieceLayout layout, boolean writable, long[] priorLengths) {
        this.paths = List.copyOf(paths);
        this.layout = layout;
        this.writable = writable;
        this.channels = new FileChannel[paths.size()];
        this.priorLengths = priorLengths;
    }

    /**
     * Opens {@code files} under {@code root} for reading and writing, creating folders and sparse files as needed.
     * Existing files keep their data; shorter ones are extended.
     *
     * @throws IOException when a path is unsafe (one-line reason) or the file system refuses
     */
    public static FileStorage create(Path root, List<StoredFile> files, int pieceLength) throws IOException {
        List<Path> paths = new ArrayList<>(files.size());
        for (StoredFile f : files) {
            paths.add(PathSanitizer.resolve(root, f.path()));
        }
        long[] priorLengths = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Path p = paths.get(i);
            Files.createDirectories(p.getParent());
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                priorLengths[i] = raf.length();
                if (raf.length() < files.get(i).length()) {
                    raf.setLength(files.get(i).length());
                }
            }
        }
        return new FileStorage(paths, PieceLayout.of(files, pieceLength), true, priorLengths);
    }

    /** Opens existing files, in order, for reading only; {@code lengths} are the byte counts to use from each. */
    public static FileStorage readOnly(List<Path> paths, long[] lengths, int pieceLength) {
        return new FileStorage(paths, new PieceLayout(lengths, pieceLength), false, null);
    }

    /**
     * True when every byte of {@code piece} lies past the length its file had before {@link #create} extended it
     * (a file made just now, or the grown part of a shorter one) and nothing has been written since: the piece reads
     * as zeros without a disk read. False for read-only storage and once any block was written.
     */
    public boolean readsAsZeros(int piece) {
        if (priorLengths == null || written) {
            return false;
        }
        for (PieceLayout.Span s : layout.spans(piece, 0, layout.pieceSize(piece))) {
            if (s.fileOffset() < priorLengths[s.file()]) {
                return false;
            }
        }
        return true;
    }

    /** The piece-to-file mapping. */
    public PieceLayout layout() {
        return layout;
    }

    /** The absolute path of file {@code file}. */
    public Path path(int file) {
        return paths.get(file);
    }

    /** Number of files. */
    public int fileCount() {
        return paths.size();
    }

    /**
     * Writes all remaining bytes of {@code src} at {@code offset} of piece {@code piece}; borrows {@code src} and
     * advances its position.
     */
    public void writeBlock(int piece, int offset, ByteBuffer src) throws IOException {
        if (!writable) {
            throw new IllegalStateException("read-only storage");
        }
        if (!written) {
            written = true; // one volatile store per storage, not per block
        }
        int limit = src.limit();
        try {
            for (PieceLayout.Span s : layout.spans(piece, offset, src.remaining())) {
                src.limit(src.position() + s.length());
                long pos = s.fileOffset();
                FileChannel ch = channel(s.file());
                while (src.hasRemaining()) {
                    pos += ch.write(src, pos);
                }
            }
        } finally {
            src.limit(limit);
        }
    }

    /** Fills {@code dst}'s remaining space from {@code offset} of piece {@code piece}; reads past a file's end as 0. */
    public void readBlock(int piece, int offset, ByteBuffer dst) throws IOException {
        int limit = dst.limit();
        try {
            for (PieceLayout.Span s : layout.spans(piece, offset, dst.remaining())) {
                dst.limit(dst.position() + s.length());
                long pos = s.fileOffset();
                FileChannel ch = channel(s.file());
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, pos);
                    if (n < 0) {
                        // A file shorter than the torrent says (truncated by hand): its missing bytes read as zero.
                        while (dst.hasRemaining()) {
                            dst.put((byte) 0);
                        }
                        break;
                    }
                    pos += n;
                }
            }
        } finally {
            dst.limit(limit);
        }
    }

    /** SHA-1 of piece {@code piece} as it is on disk now; {@code buffer} must hold a whole piece (it is reused). */
    public byte[] hashPiece(int piece, ByteBuffer buffer) throws IOException {
        buffer.clear().limit(layout.pieceSize(piece));
        readBlock(piece, 0, buffer);
        buffer.flip();
        MessageDigest sha1 = sha1();
        sha1.update(buffer);
        return sha1.digest();
    }

    /** True when piece {@code piece} on disk has the SHA-1 at {@code hashes[piece * 20]}. */
    public boolean verifyPiece(int piece, byte[] hashes, ByteBuffer buffer) throws IOException {
        return MessageDigest.isEqual(hashPiece(piece, buffer),
            java.util.Arrays.copyOfRange(hashes, piece * SHA1_BYTES, piece * SHA1_BYTES + SHA1_BYTES));
    }

    /** Forces written data of every open file to the device. */
    public void sync() throws IOException {
        for (int i = 0; i < channels.length; i++) {
            FileChannel ch = openedChannel(i);
            if (ch != null) {
                ch.force(false);
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < channels.length; i++) {
            FileChannel ch = openedChannel(i);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    private synchronized FileChannel openedChannel(int file) {
        return channels[file];
    }

    private synchronized FileChannel channel(int file) throws IOException {
        FileChannel ch = channels[file];
        if (ch == null) {
            ch = writable
                ? FileChannel.open(paths.get(file), StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(paths.get(file), StandardOpenOption.READ);
            channels[file] = ch;
        }
        return ch;
    }
}
