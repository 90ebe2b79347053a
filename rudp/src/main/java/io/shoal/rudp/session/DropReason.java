package io.shoal.rudp.session;

import io.shoal.rudp.packet.OpenResult;

/** Why a {@link SecureEndpoint} dropped a datagram; counted per socket in {@link EndpointStats}. */
public enum DropReason {
    /** Not secure, DHT, STUN or tracker traffic. */
    UNKNOWN_KIND,
    /** A secure packet too short for its type, or of a type this socket does not take. */
    MALFORMED,
    /** A key-protected or handshake-reply packet for a connection id this socket does not hold. */
    UNKNOWN_CONNECTION_ID,
    /** Failed authentication: forged, corrupted or for another key. */
    AUTH_FAILED,
    /** A packet number already seen (a replay or a duplicate). */
    DUPLICATE,
    /** A packet number below the replay window. */
    TOO_OLD,
    /** Sealed under a key already discarded. */
    KEY_DISCARDED,
    /** A handshake packet the responder refused (bad mac1, failed decryption, policy, full table, stray FINISH). */
    HANDSHAKE_REFUSED,
    /** An initiation proposing a cipher this socket does not accept ({@code RudpConfig.acceptedCiphers}). */
    CIPHER_REFUSED,
    /**
     * A fallback initiation proposing one cipher while this socket also accepts the one it claims was refused: the
     * refusal it answers was forged (a downgrade attempt), so the fallback is refused too.
     */
    DOWNGRADE_REFUSED,
    /** A copy of an initiation whose Diffie-Hellman work is still running on a handshake worker. */
    HANDSHAKE_IN_PROGRESS,
    /** An admitted initiation refused because the handshake workers' queue was full (a flood). */
    HANDSHAKE_QUEUE_FULL,
    /** An initiation on a socket that does not accept connections, or beyond {@code maxConnections}. */
    NOT_ACCEPTING,
    /** An authenticated DATA packet whose payload the KCP engine rejected. */
    BAD_PAYLOAD,
    /** A handshake reply the initiator ignored (stale, duplicate or for a finished handshake). */
    STRAY_HANDSHAKE;

    /** Why {@code PacketProtection.open} refused a packet. */
    static DropReason of(final OpenResult r) {
        switch (r) {
            case DUPLICATE:
                return DUPLICATE;
            case TOO_OLD:
                return TOO_OLD;
            case KEY_DISCARDED:
                return KEY_DISCARDED;
            case AUTH_FAILED:
                return AUTH_FAILED;
            default:
                return MALFORMED;
        }
    }
}
