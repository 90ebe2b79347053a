package io.shoal.tracker.bencode;

/**
 * A byte range {@code [offset, offset + length)} of one bencoded value inside a buffer the caller owns.
 *
 * @param offset index of the value's first byte
 * @param length number of bytes the value spans, its terminator included
 */
public record BencodeSpan(int offset, int length) {
    /** Index one past the value's last byte. */
    public int end() {
        return offset + length;
    }
}
