package io.shoal.rudp.packet;

/** What a datagram on a shared UDP socket carries, as decided by {@link DatagramDemux}. */
public enum DatagramKind {
    /** A secure-profile packet (first byte 0xE0..0xEF). */
    SECURE,
    /** A bencoded DHT message (BEP 5): a dictionary, starts with {@code d} and ends with {@code e}. */
    DHT,
    /** A STUN message (RFC 8489): first two bits zero, magic cookie 0x2112A442 at bytes 4..7, length matching. */
    STUN,
    /** A BEP 15 UDP tracker response, or a connect request carrying the protocol magic. */
    UDP_TRACKER,
    /** None of the above. */
    UNKNOWN
}
