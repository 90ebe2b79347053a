package io.shoal.peer.wire;

/**
 * Why a peer's byte stream was refused. After an error the connection should be closed; the detail is for logs.
 *
 * @param reason what kind of violation
 * @param detail one line with the numbers involved
 */
public record PeerWireError(Reason reason, String detail) {
    /** Kinds of protocol violation. */
    public enum Reason {
        /** Not the BitTorrent protocol string. */
        BAD_HANDSHAKE,
        /** A frame longer than {@link PeerWireLimits#maxMessageBytes()}. */
        MESSAGE_TOO_LONG,
        /** A fixed-size message of the wrong size. */
        BAD_LENGTH,
        /** A request or block larger than allowed, or empty. */
        BLOCK_TOO_LONG,
        /** A piece index beyond the torrent. */
        BAD_PIECE_INDEX,
        /** A bitfield of the wrong length or with spare bits set. */
        BAD_BITFIELD,
        /** A malformed BEP 10 message. */
        BAD_EXTENDED
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
