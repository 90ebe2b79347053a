package io.shoal.peer.node;

import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireDecoder;
import io.shoal.peer.wire.PeerWireLimits;

import java.util.ArrayList;
import java.util.List;

/**
 * What a magnet's metadata connection learned about its peer before the piece count was known, handed to the
 * {@link PeerSession} that takes the connection over (BEP 9 metadata switched in place, no second connection): the
 * peer's id and fast-extension bit, the wire decoder with any partial message still buffered, and, in arrival order,
 * the messages that matter to the swarm (its BEP 10 handshake, bitfield / have-all / have-none, haves,
 * allowed-fast, choke state, interest). At most {@link #MAX_MESSAGES} are kept: a peer that sends more before the
 * metadata is complete is hung up on. Event-loop confined; the decoder is owned by whoever holds this.
 */
final class PeerOpening {
    /** Messages remembered at most; an honest peer sends a bitfield, a handshake and a few haves. */
    static final int MAX_MESSAGES = 4096;

    private final byte[] remotePeerId;
    private final boolean fast;
    private final List<PeerMessage> learned = new ArrayList<>();
    private PeerWireDecoder decoder;

    PeerOpening(byte[] remotePeerId, boolean fast) {
        this.remotePeerId = remotePeerId;
        this.fast = fast;
    }

    byte[] remotePeerId() {
        return remotePeerId;
    }

    boolean fast() {
        return fast;
    }

    /** Whether {@code m} is kept for the swarm (the caller releases anything it does not keep). */
    static boolean worthKeeping(PeerMessage m) {
        return switch (m.kind()) {
            case EXTENDED_HANDSHAKE, BITFIELD, HAVE, HAVE_ALL, HAVE_NONE, ALLOWED_FAST, CHOKE, UNCHOKE, INTERESTED,
                NOT_INTERESTED -> true;
            default -> false;
        };
    }

    /** Keeps {@code m} (one {@link #worthKeeping}); false when the cap is reached (hang up on the peer). */
    boolean keep(PeerMessage m) {
        if (learned.size() >= MAX_MESSAGES) {
            return false;
        }
        learned.add(m);
        return true;
    }

    /** Takes ownership of the connection's decoder at the handover. */
    void decoder(PeerWireDecoder d) {
        this.decoder = d;
    }

    /** The decoder, now set to {@code limits} (the torrent's piece count); ownership passes to the caller. */
    PeerWireDecoder takeDecoder(PeerWireLimits limits) {
        PeerWireDecoder d = decoder;
        decoder = null;
        d.limits(limits);
        return d;
    }

    /** Frees the decoder if nobody took it (the connection closed before the handover). */
    void release() {
        if (decoder != null) {
            decoder.release();
            decoder = null;
        }
    }

    /**
     * The kept messages in order, each now checked against {@code limits}' piece count (piece indexes, bitfield
     * length and spare bits); null when one fails, which is a protocol error.
     */
    List<PeerMessage> replay(PeerWireLimits limits) {
        for (PeerMessage m : learned) {
            boolean ok = switch (m.kind()) {
                case BITFIELD -> limits.bitfieldProblem(((PeerMessage.Bitfield) m).bits()) == null;
                case HAVE -> limits.validPiece(((PeerMessage.Have) m).piece());
                case ALLOWED_FAST -> limits.validPiece(((PeerMessage.AllowedFast) m).piece());
                default -> true;
            };
            if (!ok) {
                return null;
            }
        }
        return learned;
    }
}
