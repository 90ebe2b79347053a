package io.shoal.peer.swarm;

/**
 * Geometry of a torrent cut into pieces and 16 KiB blocks (BEP 3: "all current implementations use 2^14"). A block
 * is named by one global {@code int} index, {@code piece * blocksPerPiece + blockInPiece}, so per-block state lives in
 * flat arrays. The last piece (and its last block) may be shorter.
 *
 * @param totalBytes     size of the torrent's content, bytes, positive
 * @param pieceBytes     piece length, bytes, positive
 * @param blockBytes     block length, bytes: 16 KiB, or the piece length when pieces are smaller
 */
public record BlockLayout(long totalBytes, int pieceBytes, int blockBytes) {
    /** The block length every client uses (BEP 3). */
    public static final int BLOCK_BYTES = 16 * 1024;

    public BlockLayout {
        if (totalBytes <= 0 || pieceBytes <= 0 || blockBytes <= 0 || pieceBytes % blockBytes != 0) {
            throw new IllegalArgumentException("bad layout: total " + totalBytes + ", piece " + pieceBytes
                    + ", block " + blockBytes);
        }
        if ((totalBytes + pieceBytes - 1) / pieceBytes > Integer.MAX_VALUE / (pieceBytes / blockBytes)) {
            throw new IllegalArgumentException("too many blocks: " + totalBytes + " / " + blockBytes);
        }
    }

    /** The standard layout: 16 KiB blocks, or one block per piece when pieces are smaller. */
    public static BlockLayout of(long totalBytes, int pieceBytes) {
        return new BlockLayout(totalBytes, pieceBytes, Math.min(BLOCK_BYTES, pieceBytes));
    }

    public int pieceCount() {
        return (int) ((totalBytes + pieceBytes - 1) / pieceBytes);
    }

    public int blocksPerPiece() {
        return pieceBytes / blockBytes;
    }

    /** Bytes in {@code piece}: {@link #pieceBytes} except for a shorter last piece. */
    public int pieceLength(int piece) {
        long start = (long) piece * pieceBytes;
        return (int) Math.min(pieceBytes, totalBytes - start);
    }

    /** Blocks in {@code piece}. */
    public int blockCount(int piece) {
        return (pieceLength(piece) + blockBytes - 1) / blockBytes;
    }

    /** Size of the global block array, including the unused tail slots of a short last piece. */
    public int blockSlots() {
        return pieceCount() * blocksPerPiece();
    }

    public int firstBlock(int piece) {
        return piece * blocksPerPiece();
    }

    public int pieceOf(int block) {
        return block / blocksPerPiece();
    }

    /** Byte offset of {@code block} inside its piece (the wire's {@code begin}). */
    public int beginOf(int block) {
        return (block % blocksPerPiece()) * blockBytes;
    }

    /** Length of {@code block}, bytes (the wire's {@code length}). */
    public int lengthOf(int block) {
        int piece = pieceOf(block);
        return Math.min(blockBytes, pieceLength(piece) - beginOf(block));
    }

    /**
     * The global block for a wire (piece, begin, length) triple, or -1 when it does not name exactly one of our
     * blocks (out of range, misaligned or wrong length): the caller counts and drops such input.
     */
    public int blockAt(int piece, int begin, int length) {
        if (piece < 0 || piece >= pieceCount() || begin < 0 || begin % blockBytes != 0) {
            return -1;
        }
        int inPiece = begin / blockBytes;
        if (inPiece >= blockCount(piece)) {
            return -1;
        }
        int block = firstBlock(piece) + inPiece;
        return lengthOf(block) == length ? block : -1;
    }
}
