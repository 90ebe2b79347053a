package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpConfig;

/**
 * Writes KCP segment headers to build benchmark input by hand: 24 bytes, little-endian, in {@code ikcp.c}'s order
 * (conv, cmd, frg, wnd, ts, sn, una, len). Only for preparing datagrams; the engine's own codec is what is measured.
 */
final class KcpWire {
    static final int CMD_PUSH = 81;
    static final int CMD_ACK = 82;

    private KcpWire() {
    }

    /** Appends one header to {@code out}; the caller appends {@code len} payload bytes after it. */
    static void writeHeader(ByteBuf out, int conv, int cmd, int frg, int wnd, int tsMs, int sn, int una, int len) {
        out.writeIntLE(conv)
            .writeByte(cmd)
            .writeByte(frg)
            .writeShortLE(wnd)
            .writeIntLE(tsMs)
            .writeIntLE(sn)
            .writeIntLE(una)
            .writeIntLE(len);
    }

    /** How many segments with {@code payloadBytes} each fit in one datagram of {@code mtu} bytes. */
    static int segmentsPerDatagram(int mtu, int payloadBytes) {
        return mtu / (KcpConfig.OVERHEAD + payloadBytes);
    }
}
