package io.shoal.rudp.packet;

/** Outcome of {@link PacketProtection#open}. Everything but {@link #OPENED} means the datagram was dropped. */
public enum OpenResult {
    /** Authenticated and decrypted into the output buffer. */
    OPENED,
    /** Too short, too long, not a key-protected secure packet, or for another connection id. */
    MALFORMED,
    /** Packet number already seen. */
    DUPLICATE,
    /** Packet number below the replay window. */
    TOO_OLD,
    /** Sealed under a previous key that has been discarded. */
    KEY_DISCARDED,
    /** Failed authentication: forged, corrupted, or sealed under another key. */
    AUTH_FAILED
}
