package io.shoal.peer.wire;

/**
 * Caps the decoder enforces on what a peer sends.
 *
 * @param maxRequestBytes  largest block a peer may request from us; BEP 3 says 16 KiB, and clients close connections
 *                         that ask for more; at most 128 KiB
 * @param maxBlockBytes    largest block we accept in a piece message (what we request is never larger), at most
 *                         128 KiB
 * @param maxMessageBytes  largest frame of any kind (length prefix excluded); a bitfield for the largest torrent
 *                         (2^21 pieces) needs 256 KiB
 * @param pieceCount       pieces in the torrent, or 0 when not yet known (a magnet before its metadata): then piece
 *                         indexes and bitfield lengths are not checked here
 */
public record PeerWireLimits(int maxRequestBytes, int maxBlockBytes, int maxMessageBytes, int pieceCount) {
    /** The most any block limit may be. */
    public static final int MAX_BLOCK = 128 << 10;

    /** Checks the ranges. */
    public PeerWireLimits {
        if (maxRequestBytes <= 0 || maxRequestBytes > MAX_BLOCK || maxBlockBytes <= 0 || maxBlockBytes > MAX_BLOCK
            || maxMessageBytes < maxBlockBytes + 9 || pieceCount < 0) {
            throw new IllegalArgumentException("peer wire limits out of range: request " + maxRequestBytes
                + ", block " + maxBlockBytes + ", message " + maxMessageBytes + ", pieces " + pieceCount);
        }
    }

    /** 16 KiB requests, 128 KiB blocks, 1 MiB frames. */
    public static PeerWireLimits defaults(int pieceCount) {
        return new PeerWireLimits(16 << 10, MAX_BLOCK, 1 << 20, pieceCount);
    }

    /** Whether {@code piece} is a piece index: not negative and, once the count is known, below it. */
    public boolean validPiece(int piece) {
        return piece >= 0 && (pieceCount == 0 || piece < pieceCount);
    }

    /**
     * Why {@code bits} is not a bitfield of {@link #pieceCount()} pieces (wrong length, spare bits set), or null when
     * it is one; while the count is unknown (0) any length passes.
     */
    public String bitfieldProblem(byte[] bits) {
        if (pieceCount == 0) {
            return null;
        }
        int expected = (pieceCount + 7) / 8;
        if (bits.length != expected) {
            return bits.length + " bytes for " + pieceCount + " pieces";
        }
        int spare = expected * 8 - pieceCount;
        return (bits[expected - 1] & ((1 << spare) - 1)) != 0 ? "spare bits set" : null;
    }

    /** The same limits for a torrent of {@code pieces} pieces (once its metadata is known). */
    public PeerWireLimits withPieceCount(int pieces) {
        return new PeerWireLimits(maxRequestBytes, maxBlockBytes, maxMessageBytes, pieces);
    }
}
