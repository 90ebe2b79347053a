package io.shoal.tracker.registry;

/** Receives the peers a registry selects for an announce reply, one call each, without any allocation. */
public interface PeerSink {
    /** An IPv4 peer: the address in bits 16-47 and the port in bits 0-15 of {@code ipPort}. */
    void peer4(long ipPort);

    /** An IPv6 peer: the address as two big-endian halves and the port. */
    void peer6(long ipHigh, long ipLow, int port);
}
