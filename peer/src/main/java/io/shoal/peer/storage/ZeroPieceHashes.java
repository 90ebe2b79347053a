package io.shoal.peer.storage;

import java.security.MessageDigest;

/**
 * SHA-1 of a piece of zeros, per piece size: a torrent has at most two sizes (the piece length and a shorter last
 * piece), so each is hashed once, in 64 KiB steps, however many pieces ask. Not thread-safe: one per check.
 */
final class ZeroPieceHashes {
    private static final byte[] ZEROS = new byte[64 << 10];

    private int[] sizes = new int[2];
    private byte[][] hashes = new byte[2][];
    private int count;

    /** SHA-1 of {@code size} zero bytes; the array is shared, do not modify it. */
    byte[] of(int size) {
        for (int i = 0; i < count; i++) {
            if (sizes[i] == size) {
                return hashes[i];
            }
        }
        MessageDigest sha1 = FileStorage.sha1();
        for (int left = size; left > 0; left -= ZEROS.length) {
            sha1.update(ZEROS, 0, Math.min(left, ZEROS.length));
        }
        if (count == sizes.length) {
            sizes = java.util.Arrays.copyOf(sizes, count * 2);
            hashes = java.util.Arrays.copyOf(hashes, count * 2);
        }
        sizes[count] = size;
        hashes[count] = sha1.digest();
        return hashes[count++];
    }
}
