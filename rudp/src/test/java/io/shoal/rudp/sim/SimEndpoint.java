package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;

/**
 * One side of a {@link SimPair}: a sans-IO state machine seen the way the simulator drives it (quinn's
 * {@code TestEndpoint}). Calls carry non-decreasing virtual time; after every input the simulator drains
 * {@link #pollTransmit} until it returns 0, then reads {@link #nextDeadlineNs()}.
 */
public interface SimEndpoint {
    /** {@link #nextDeadlineNs()} when no timer is armed. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** One datagram from the peer. Borrows {@code datagram}: the simulator releases it afterwards. */
    void handleDatagram(long nowNs, ByteBuf datagram);

    /** The deadline passed (or an early wake-up, which must be harmless). */
    void handleTimeout(long nowNs);

    /**
     * Writes the next datagram into {@code out} (at least {@link #maxDatagramBytes()} writable) and returns its length;
     * 0 when there is nothing to send now. {@code out} stays the caller's.
     */
    int pollTransmit(long nowNs, ByteBuf out);

    /** The absolute time of the next timer, or {@link #NO_DEADLINE}. */
    long nextDeadlineNs();

    /** The largest datagram {@link #pollTransmit} writes. */
    int maxDatagramBytes();

    /** True when this side has nothing left to do (used by {@link SimPair#driveBounded}). */
    default boolean isIdle() {
        return nextDeadlineNs() == NO_DEADLINE;
    }

    /** Releases whatever the endpoint holds; idempotent. */
    default void close() {
    }
}
