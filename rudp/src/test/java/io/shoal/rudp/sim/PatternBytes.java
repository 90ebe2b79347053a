package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;

/**
 * Deterministic test content: the byte at position {@code pos} of stream {@code key} is a hash of both, so a byte
 * delivered twice, out of order or corrupted shows up as a mismatch at a known offset. Eight bytes per hash.
 */
public final class PatternBytes {
    private PatternBytes() {
    }

    /** The byte at {@code pos} of stream {@code key}. */
    public static byte at(final long key, final long pos) {
        return (byte) (word(key, pos >>> 3) >>> ((pos & 7) << 3));
    }

    /** Writes {@code length} pattern bytes of stream {@code key} starting at {@code pos} into {@code dst}. */
    public static void write(final ByteBuf dst, final long key, final long pos, final int length) {
        long p = pos;
        final long end = pos + length;
        while (p < end && (p & 7) != 0) {
            dst.writeByte(at(key, p++));
        }
        while (end - p >= 8) {
            dst.writeLongLE(word(key, p >>> 3));
            p += 8;
        }
        while (p < end) {
            dst.writeByte(at(key, p++));
        }
    }

    /**
     * Checks that {@code src}'s readable bytes equal stream {@code key} from {@code pos}; returns the stream position of
     * the first mismatch, or -1 when all match. Does not move {@code src}'s indices.
     */
    public static long firstMismatch(final ByteBuf src, final long key, final long pos) {
        final int base = src.readerIndex();
        final int length = src.readableBytes();
        for (int i = 0; i < length; i++) {
            if (src.getByte(base + i) != at(key, pos + i)) {
                return pos + i;
            }
        }
        return -1;
    }

    private static long word(final long key, final long index) {
        long z = key ^ (index * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
