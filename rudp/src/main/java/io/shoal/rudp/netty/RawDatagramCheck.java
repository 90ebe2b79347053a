package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpConfig;

/**
 * A cheap structural check of a raw KCP datagram, run before a server spends an engine on an unknown
 * (address, conv): every segment has a full 24-byte header, one conv, a command in 81..84 and a payload that fits
 * (the checks {@code ikcp_input} makes, without touching any state). Reads without moving indices.
 */
final class RawDatagramCheck {
    private static final int CMD_PUSH = 81;
    private static final int CMD_WINS = 84;

    private RawDatagramCheck() {
    }

    /** True if {@code datagram} is a well-formed sequence of segments of one conversation, none over {@code mss}. */
    static boolean isWellFormed(ByteBuf datagram, int mss) {
        int i = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (end - i < KcpConfig.OVERHEAD) {
            return false;
        }
        int conv = datagram.getIntLE(i);
        while (end - i >= KcpConfig.OVERHEAD) {
            int cmd = datagram.getUnsignedByte(i + 4);
            long len = datagram.getUnsignedIntLE(i + 20);
            if (datagram.getIntLE(i) != conv || cmd < CMD_PUSH || cmd > CMD_WINS || len > mss) {
                return false;
            }
            i += KcpConfig.OVERHEAD;
            if (len > end - i) {
                return false;
            }
            i += (int) len;
        }
        // ikcp_input ignores a tail shorter than a header; a strict server refuses it instead.
        return i == end;
    }
}
