package io.shoal.peer.storage;

import java.util.Arrays;
import java.util.List;

/**
 * Maps the torrent's byte stream, the concatenation of its files in order, onto files: piece {@code i} covers bytes
 * {@code [i * pieceLength, min((i + 1) * pieceLength, total))} of that stream (BEP 3). Immutable.
 */
public final class PieceLayout {
    /** One piece of a file a byte range touches: {@code length} bytes at {@code fileOffset} of file {@code file}. */
    public record Span(int file, long fileOffset, int length) {
    }

    private final long[] fileStarts;
    private final long[] fileLengths;
    private final int pieceLength;
    private final long totalLength;
    private final int pieceCount;

    /**
     * @param fileLengths length of each file in order, zero allowed
     * @param pieceLength bytes per piece, positive
     */
    public PieceLayout(long[] fileLengths, int pieceLength) {
        if (pieceLength <= 0 || fileLengths.length == 0) {
            throw new IllegalArgumentException("piece length " + pieceLength + ", " + fileLengths.length + " files");
        }
        this.fileLengths = fileLengths.clone();
        this.fileStarts = new long[fileLengths.length];
        long total = 0;
        for (int i = 0; i < fileLengths.length; i++) {
            if (fileLengths[i] < 0) {
                throw new IllegalArgumentException("negative file length");
            }
            fileStarts[i] = total;
            total = Math.addExact(total, fileLengths[i]);
        }
        long pieces = (total + pieceLength - 1) / pieceLength;
        if (pieces > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many pieces");
        }
        this.pieceLength = pieceLength;
        this.totalLength = total;
        this.pieceCount = (int) pieces;
    }

    /** The layout of {@code files}. */
    public static PieceLayout of(List<StoredFile> files, int pieceLength) {
        return new PieceLayout(files.stream().mapToLong(StoredFile::length).toArray(), pieceLength);
    }

    /** Nominal piece length in bytes. */
    public int pieceLength() {
        return pieceLength;
    }

    /** Number of pieces; the last may be shorter. */
    public int pieceCount() {
        return pieceCount;
    }

    /** Total bytes over all files. */
    public long totalLength() {
        return totalLength;
    }

    /** Number of files. */
    public int fileCount() {
        return fileLengths.length;
    }

    /** Length of piece {@code piece} in bytes. */
    public int pieceSize(int piece) {
        checkPiece(piece);
        long start = (long) piece * pieceLength;
        return (int) Math.min(pieceLength, totalLength - start);
    }

    /**
     * The file spans, in order, that hold {@code length} bytes starting at {@code offset} of piece {@code piece}.
     * Zero-length files never appear.
     */
    public List<Span> spans(int piece, int offset, int length) {
        int size = pieceSize(piece);
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " of piece " + piece);
        }
        long pos = (long) piece * pieceLength + offset;
        long end = pos + length;
        int file = fileAt(pos);
        Span[] out = new Span[fileLengths.length - file];
        int n = 0;
        while (pos < end) {
            long inFile = pos - fileStarts[file];
            long room = fileLengths[file] - inFile;
            if (room > 0) {
                int take = (int) Math.min(room, end - pos);
                out[n++] = new Span(file, inFile, take);
                pos += take;
            }
            file++;
        }
        return Arrays.asList(out).subList(0, n);
    }

    /** Index of the first piece holding any byte of file {@code file}, for a zero-length file the piece at its start. */
    public int firstPieceOf(int file) {
        return (int) (fileStarts[file] / pieceLength);
    }

    /** Index one past the last piece holding a byte of file {@code file} (equal to first for zero-length files). */
    public int endPieceOf(int file) {
        return fileLengths[file] == 0 ? firstPieceOf(file)
            : (int) ((fileStarts[file] + fileLengths[file] - 1) / pieceLength) + 1;
    }

    private int fileAt(long pos) {
        int i = Arrays.binarySearch(fileStarts, pos);
        if (i < 0) {
            return -i - 2;
        }
        // Several files may start here when some are empty: take the first one that has bytes.
        while (i < fileLengths.length - 1 && fileLengths[i] == 0) {
            i++;
        }
        return i;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
    }
}
