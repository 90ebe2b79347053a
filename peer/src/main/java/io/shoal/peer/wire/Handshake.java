package io.shoal.peer.wire;

import io.shoal.peer.metainfo.InfoHash;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The BEP 3 handshake: {@code 19 "BitTorrent protocol"}, 8 reserved bytes, the 20-byte info hash, the 20-byte peer
 * id; 68 bytes in all. Reserved bits used here: {@code reserved[5] & 0x10} extension protocol (BEP 10),
 * {@code reserved[7] & 0x04} fast extension (BEP 6), {@code reserved[7] & 0x01} DHT (BEP 5).
 *
 * @param reserved 8 bytes (copied)
 * @param infoHash the torrent
 * @param peerId   20 bytes (copied)
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {
    /** Bytes on the wire. */
    public static final int LENGTH = 68;
    /** The protocol string after its length byte. */
    static final String PROTOCOL = "BitTorrent protocol";

    /** Copies and checks the arrays. */
    public Handshake {
        if (reserved.length != 8 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved " + reserved.length + " bytes, peer id " + peerId.length);
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /** Reserved bytes advertising the given extensions. */
    public static byte[] reservedBits(boolean extensions, boolean fast, boolean dht) {
        byte[] r = new byte[8];
        r[5] = (byte) (extensions ? 0x10 : 0);
        r[7] = (byte) ((fast ? 0x04 : 0) | (dht ? 0x01 : 0));
        return r;
    }

    /** A copy of the reserved bytes. */
    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    /** A copy of the peer id. */
    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    /** BEP 10 extension protocol advertised. */
    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** BEP 6 fast extension advertised. */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    /** BEP 5 DHT advertised. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
            && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[" + HexFormat.of().formatHex(reserved) + ", " + infoHash + ", "
            + HexFormat.of().formatHex(peerId) + "]";
    }
}
