package io.shoal.peer.metainfo;

/**
 * Chooses a piece length from the total size the way mktorrent and libtorrent's {@code create_torrent} aim to: a
 * power of two between 16 KiB and 16 MiB giving at most about 2000 pieces (so 1000 to 2000 for anything over
 * 32 MiB), which keeps the {@code pieces} string small without making each piece slow to re-fetch.
 */
public final class PieceLengths {
    /** Smallest chosen length: one BEP 3 block. */
    public static final int MIN = 16 << 10;
    /** Largest chosen length. */
    public static final int MAX = 16 << 20;
    /** Aim for at most this many pieces. */
    public static final int TARGET_PIECES = 2000;

    private PieceLengths() {
    }

    /** The piece length for {@code totalBytes} of content. */
    public static int choose(long totalBytes) {
        int length = MIN;
        while (length < MAX && (totalBytes + length - 1) / length > TARGET_PIECES) {
            length <<= 1;
        }
        return length;
    }
}
