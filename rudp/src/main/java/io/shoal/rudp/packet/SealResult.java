package io.shoal.rudp.packet;

/** Outcome of {@link PacketProtection#seal}. */
public enum SealResult {
    /** The packet was written to the output buffer. */
    SEALED,
    /** The plaintext would make a datagram larger than {@code maxDatagramBytes}; nothing written. */
    TOO_LARGE,
    /** The packet-number space is used up; nothing written, a new handshake is needed. */
    PACKET_NUMBERS_EXHAUSTED
}
