package io.shoal.rudp.session;

import io.netty.util.collection.LongObjectHashMap;
import io.shoal.rudp.netty.DeadlineQueue;

import java.util.ArrayDeque;

/**
 * Which of a {@link SecureEndpoint}'s connections need attention, and when: the dirty queue (connections with new
 * output or a changed deadline, each queued once, drained in the order they changed) and the deadline heap (each
 * connection at its {@link SecureConnection#nextDeadlineNs()}, in {@link SecureConnection#scheduledNs}). A
 * connection leaving the dirty queue is rescheduled then, so a read batch of many datagrams for one connection
 * computes its deadline once, not per datagram. Connections no longer in the endpoint's map (freed) are never
 * rescheduled. One thread only (the endpoint's); allocates nothing per call.
 */
final class ConnectionSchedule {
    private final DeadlineQueue<SecureConnection> timers = new DeadlineQueue<>();
    private final ArrayDeque<SecureConnection> dirty = new ArrayDeque<>();
    /** The endpoint's connections by local id; read only, to skip freed connections. */
    private final LongObjectHashMap<SecureConnection> connections;

    ConnectionSchedule(final LongObjectHashMap<SecureConnection> connections) {
        this.connections = connections;
    }

    /** {@code c} has new output and perhaps a new deadline: queues it and reschedules it now. */
    void changed(final SecureConnection c) {
        markDirty(c);
        reschedule(c);
    }

    /** Queues {@code c} for the next drain, which reschedules it; a no-op when it is queued already. */
    void markDirty(final SecureConnection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    /**
     * @return the next datagram of the first dirty connection that has one (the caller owns it), or null; each
     *         connection found empty on the way leaves the dirty queue and is rescheduled
     */
    Transmit pollTransmit(final long nowNs) {
        Transmit t = null;
        while (t == null && !dirty.isEmpty()) {
            final SecureConnection c = dirty.peek();
            t = c.pollTransmit(nowNs);
            if (t == null) {
                dirty.poll();
                c.dirty = false;
                reschedule(c);
            }
        }
        return t;
    }

    /** Drains every dirty connection whole into {@code sink}, in queue order, rescheduling each. */
    void drainTo(final long nowNs, final DatagramSink sink) {
        SecureConnection c;
        while ((c = dirty.poll()) != null) {
            c.dirty = false;
            c.drainTo(nowNs, sink);
            reschedule(c);
        }
    }

    /** @return a connection whose deadline has passed by {@code nowNs}, taken off the heap, or null when none */
    SecureConnection pollDue(final long nowNs) {
        final SecureConnection c = timers.peek();
        if (c == null || nowNs - c.scheduledNs < 0) {
            return null;
        }
        timers.remove(c);
        return c;
    }

    /** @return the earliest deadline on the heap, or {@link Deadlines#NONE} */
    long nextDeadlineNs() {
        final SecureConnection c = timers.peek();
        return c == null ? Deadlines.NONE : c.scheduledNs;
    }

    /** Takes {@code c} off the heap (it is being freed). */
    void remove(final SecureConnection c) {
        timers.remove(c);
    }

    private void reschedule(final SecureConnection c) {
        if (!connections.containsKey(c.localConnectionId())) {
            return;
        }
        final long d = c.nextDeadlineNs();
        if (d == Deadlines.NONE) {
            timers.remove(c);
        } else {
            // Most calls move an idle connection's keepalive/idle deadline later: O(1), re-sifted once at the top.
            c.scheduledNs = d;
            timers.postpone(c, d);
        }
    }
}
