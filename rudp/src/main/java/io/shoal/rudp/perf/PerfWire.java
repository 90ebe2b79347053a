package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The perf protocol: frames on one KCP byte stream, each {@code type u8 | length u32 (big-endian) | payload}.
 *
 * <pre>
 * client → server   HELLO    [u64 omit ns]     "start a test"; the server leaves out DATA that arrives within
 *                                              omit ns of the first DATA byte (warm-up, like iperf's --omit)
 * server → client   WELCOME  empty             the server is there; the client starts its clock
 * client → server   DATA     any bytes         counted, never copied
 * client → server   END      empty             the client stopped sending
 * server → client   PROGRESS u64 bytes, u64 ns  bytes received since the first DATA byte, once a second
 * server → client   SUMMARY  u64 bytes, u64 ns  final count, first to last DATA byte
 * </pre>
 */
public final class PerfWire {
    public static final int HEADER_BYTES = 5;
    public static final byte HELLO = 'H';
    public static final byte WELCOME = 'W';
    public static final byte DATA = 'D';
    public static final byte END = 'E';
    public static final byte PROGRESS = 'P';
    public static final byte SUMMARY = 'S';
    /** Largest control (non-DATA) payload a decoder accepts. */
    public static final int MAX_CONTROL_PAYLOAD = 64;

    private PerfWire() {
    }

    static boolean isKnown(byte type) {
        return type == HELLO || type == WELCOME || type == DATA || type == END || type == PROGRESS
            || type == SUMMARY;
    }

    /** A frame header announcing {@code payloadBytes}; the caller sends the payload right after it. */
    static ByteBuf header(ByteBufAllocator alloc, byte type, int payloadBytes) {
        return alloc.directBuffer(HEADER_BYTES).writeByte(type).writeInt(payloadBytes);
    }

    /** An empty control frame. */
    static ByteBuf control(ByteBufAllocator alloc, byte type) {
        return header(alloc, type, 0);
    }

    /** A HELLO asking the server to leave out the first {@code omitNs} of DATA. */
    static ByteBuf hello(ByteBufAllocator alloc, long omitNs) {
        return alloc.directBuffer(HEADER_BYTES + 8).writeByte(HELLO).writeInt(8).writeLong(omitNs);
    }

    /** A PROGRESS or SUMMARY frame. */
    static ByteBuf counters(ByteBufAllocator alloc, byte type, long bytes, long nanos) {
        return alloc.directBuffer(HEADER_BYTES + 16).writeByte(type).writeInt(16).writeLong(bytes).writeLong(nanos);
    }
}
