package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;

/**
 * Classifies a datagram on a UDP socket shared by the secure transport, the DHT, STUN and UDP tracker clients by
 * its first bytes; nothing is parsed beyond a few fixed fields, nothing is allocated, the buffer is borrowed and
 * its indexes are untouched. Order matters only for STUN versus tracker responses, which both start with a zero
 * byte: STUN needs its magic cookie and a length field that matches the datagram, which no tracker response has
 * (their sizes are 16, 20 + 6n or 20 + 18n, 8 + 12n, or an error), see the tests for the overlaps.
 */
public final class DatagramDemux {
    /** STUN magic cookie, RFC 8489 section 5. */
    public static final int STUN_MAGIC_COOKIE = 0x2112A442;
    /** BEP 15 connect request protocol id. */
    public static final long TRACKER_CONNECT_MAGIC = 0x41727101980L;
    private static final int STUN_HEADER_BYTES = 20;
    private static final int SECURE_MIN_BYTES = HandshakeCodec.COOKIE_REPLY_BYTES;

    private DatagramDemux() {
    }

    /** @return what {@code datagram}'s readable bytes carry */
    public static DatagramKind classify(final ByteBuf datagram) {
        final int len = datagram.readableBytes();
        if (len == 0) {
            return DatagramKind.UNKNOWN;
        }
        final int r = datagram.readerIndex();
        final int first = datagram.getUnsignedByte(r);
        if (SecurePacketType.isSecure(first)) {
            return len >= SECURE_MIN_BYTES ? DatagramKind.SECURE : DatagramKind.UNKNOWN;
        }
        if (first == 'd') {
            return len >= 2 && datagram.getUnsignedByte(r + len - 1) == 'e' ? DatagramKind.DHT : DatagramKind.UNKNOWN;
        }
        if (isStun(datagram, r, len, first)) {
            return DatagramKind.STUN;
        }
        return isTracker(datagram, r, len) ? DatagramKind.UDP_TRACKER : DatagramKind.UNKNOWN;
    }

    private static boolean isStun(final ByteBuf d, final int r, final int len, final int first) {
        if (len < STUN_HEADER_BYTES || (first & 0xC0) != 0 || d.getInt(r + 4) != STUN_MAGIC_COOKIE) {
            return false;
        }
        final int bodyLength = d.getUnsignedShort(r + 2);
        return (bodyLength & 3) == 0 && bodyLength + STUN_HEADER_BYTES == len;
    }

    private static boolean isTracker(final ByteBuf d, final int r, final int len) {
        if (len >= 16 && d.getLong(r) == TRACKER_CONNECT_MAGIC) {
            return d.getInt(r + 8) == 0;
        }
        if (len < 8) {
            return false;
        }
        switch (d.getInt(r)) {
            case 0:
                return len == 16;
            case 1:
                return len >= 20 && ((len - 20) % 6 == 0 || (len - 20) % 18 == 0);
            case 2:
                return (len - 8) % 12 == 0;
            case 3:
                return true;
            default:
                return false;
        }
    }
}
