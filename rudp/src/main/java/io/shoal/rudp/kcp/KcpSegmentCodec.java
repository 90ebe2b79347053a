package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The KCP segment wire format ({@code ikcp.c} {@code ikcp_encode_seg}, {@code protocol.txt}): a 24-byte
 * little-endian header {@code conv u32 | cmd u8 | frg u8 | wnd u16 | ts u32 | sn u32 | una u32 | len u32} followed by
 * {@code len} payload bytes; several segments may share one datagram.
 *
 * <p>Stateless. The static accessors read a field of the header that starts at {@code index} in any buffer
 * (Aeron flyweight style), so the engine decodes without allocating. Nothing here throws on malformed input:
 * {@link #check} returns an {@link InputResult}.
 */
public final class KcpSegmentCodec {
    public static final int HEADER_LENGTH = KcpConfig.OVERHEAD;
    public static final int CMD_PUSH = 81;
    public static final int CMD_ACK = 82;
    public static final int CMD_WASK = 83;
    public static final int CMD_WINS = 84;
    /** Largest payload a segment can carry: a UDP datagram is at most 65,507 bytes. */
    public static final int MAX_PAYLOAD = 65_507 - HEADER_LENGTH;

    private KcpSegmentCodec() {
    }

    /** Writes one header; the caller writes {@code len} payload bytes after it. */
    public static void encodeHeader(ByteBuf out, int conv, int cmd, int frg, int wnd, int ts, int sn, int una,
                                    int len) {
        // Three little-endian longs: one bounds and liveness check each instead of one per field (8 per segment).
        out.ensureWritable(HEADER_LENGTH);
        int w = out.writerIndex();
        out.setLongLE(w, (conv & 0xFFFF_FFFFL) | (cmd & 0xFFL) << 32 | (frg & 0xFFL) << 40 | (wnd & 0xFFFFL) << 48);
        out.setLongLE(w + 8, (ts & 0xFFFF_FFFFL) | (long) sn << 32);
        out.setLongLE(w + 16, (una & 0xFFFF_FFFFL) | (long) len << 32);
        out.writerIndex(w + HEADER_LENGTH);
    }

    public static int conv(ByteBuf buf, int index) {
        return buf.getIntLE(index);
    }

    public static int cmd(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + 4);
    }

    public static int frg(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + 5);
    }

    public static int wnd(ByteBuf buf, int index) {
        return buf.getUnsignedShortLE(index + 6);
    }

    public static int ts(ByteBuf buf, int index) {
        return buf.getIntLE(index + 8);
    }

    public static int sn(ByteBuf buf, int index) {
        return buf.getIntLE(index + 12);
    }

    public static int una(ByteBuf buf, int index) {
        return buf.getIntLE(index + 16);
    }

    /** The {@code len} field as an unsigned value. */
    public static long len(ByteBuf buf, int index) {
        return buf.getUnsignedIntLE(index + 20);
    }

    /**
     * Validates the segment at {@code index} given {@code remaining} bytes left in the datagram.
     *
     * @return {@link InputResult#ACCEPTED} when a whole, known segment is there
     */
    public static InputResult check(ByteBuf buf, int index, int remaining) {
        if (remaining < HEADER_LENGTH) {
            return InputResult.TRUNCATED;
        }
        long len = len(buf, index);
        if (len > MAX_PAYLOAD) {
            return InputResult.OVERSIZED;
        }
        if (len > remaining - HEADER_LENGTH) {
            return InputResult.TRUNCATED;
        }
        int cmd = cmd(buf, index);
        if (cmd < CMD_PUSH || cmd > CMD_WINS) {
            return InputResult.UNKNOWN_COMMAND;
        }
        return InputResult.ACCEPTED;
    }

    /**
     * A strict structural check of a whole datagram that touches no state: every segment passes {@link #check}, all
     * carry the same conv, none has a payload over {@code maxPayload}, and no tail shorter than a header is left
     * ({@code ikcp_input} ignores such a tail; a server deciding whether to spend an engine on a stranger refuses it).
     */
    public static boolean isWellFormed(ByteBuf datagram, int maxPayload) {
        int index = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (end - index < HEADER_LENGTH) {
            return false;
        }
        int conv = conv(datagram, index);
        while (end - index >= HEADER_LENGTH) {
            if (check(datagram, index, end - index) != InputResult.ACCEPTED || conv(datagram, index) != conv
                || len(datagram, index) > maxPayload) {
                return false;
            }
            index += HEADER_LENGTH + (int) len(datagram, index);
        }
        return index == end;
    }

    /** A decoded header, for tools and tests; the engine itself uses the allocation-free accessors. */
    public record Header(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
    }

    /** Result of {@link #decodeAll}: the segments decoded and why decoding stopped. */
    public record Decoded(List<Header> segments, InputResult result) {
    }

    /** Decodes every segment of a datagram (without moving its indices), stopping at the first malformed one. */
    public static Decoded decodeAll(ByteBuf datagram) {
        List<Header> out = new ArrayList<>();
        int index = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (end - index < HEADER_LENGTH) {
            return new Decoded(out, InputResult.TRUNCATED);
        }
        while (end - index >= HEADER_LENGTH) {
            InputResult r = check(datagram, index, end - index);
            if (r != InputResult.ACCEPTED) {
                return new Decoded(out, r);
            }
            int len = (int) len(datagram, index);
            out.add(new Header(conv(datagram, index), cmd(datagram, index), frg(datagram, index), wnd(datagram, index),
                ts(datagram, index), sn(datagram, index), una(datagram, index), len));
            index += HEADER_LENGTH + len;
        }
        return new Decoded(out, InputResult.ACCEPTED);
    }
}
