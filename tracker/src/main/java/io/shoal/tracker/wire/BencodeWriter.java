package io.shoal.tracker.wire;

import io.netty.buffer.ByteBuf;

/**
 * Appends bencode tokens to a {@link ByteBuf} without building an object tree, for the tracker's hot replies. The
 * caller is responsible for writing dictionary keys in sorted order (BEP 3). ASCII keys and text only.
 */
public final class BencodeWriter {
    private BencodeWriter() {
    }

    public static void beginDict(ByteBuf out) {
        out.writeByte('d');
    }

    public static void beginList(ByteBuf out) {
        out.writeByte('l');
    }

    public static void end(ByteBuf out) {
        out.writeByte('e');
    }

    /** A byte string of ASCII text, e.g. a dictionary key. */
    public static void text(ByteBuf out, String s) {
        decimal(out, s.length());
        out.writeByte(':');
        for (int i = 0; i < s.length(); i++) {
            out.writeByte(s.charAt(i) < 0x80 ? s.charAt(i) : '?');
        }
    }

    public static void integer(ByteBuf out, long v) {
        out.writeByte('i');
        decimal(out, v);
        out.writeByte('e');
    }

    /** The {@code <length>:} prefix of a byte string whose {@code length} bytes the caller writes next. */
    public static void bytesHeader(ByteBuf out, int length) {
        decimal(out, length);
        out.writeByte(':');
    }

    /** A byte string of {@code len} bytes of {@code b} from {@code from}. */
    public static void bytes(ByteBuf out, byte[] b, int from, int len) {
        bytesHeader(out, len);
        out.writeBytes(b, from, len);
    }

    /** Writes {@code v} in decimal without allocating a String. */
    static void decimal(ByteBuf out, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                out.writeCharSequence("-9223372036854775808", java.nio.charset.StandardCharsets.US_ASCII);
                return;
            }
            out.writeByte('-');
            v = -v;
        }
        long div = 1;
        while (v / div >= 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            out.writeByte((int) ('0' + (v / div) % 10));
        }
    }
}
