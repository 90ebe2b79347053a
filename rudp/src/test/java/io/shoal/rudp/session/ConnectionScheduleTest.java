package io.shoal.rudp.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.collection.LongObjectHashMap;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The endpoint's dirty queue and deadline heap, on real initiating connections (each started, so it has one
 * handshake datagram queued and a retransmission deadline) and no endpoint around them.
 */
class ConnectionScheduleTest {
    private static final long MS = 1_000_000L;

    private final SecureRandom random = SimSeeds.secureRandom(SimSeeds.resolve(0x5C4E_D001L));
    private final RudpConfig config = RudpConfig.builder().identity(StaticIdentity.generate(random))
            .policy(PeerKeyPolicy.acceptAny()).build();
    private final LongObjectHashMap<SecureConnection> connections = new LongObjectHashMap<>();
    private final ConnectionSchedule schedule = new ConnectionSchedule(connections);
    private final List<SecureConnection> made = new ArrayList<>();
    private int datagramsDrained;
    private final DatagramSink countingSink = (datagram, to) -> {
        datagramsDrained++;
        datagram.release();
    };

    @AfterEach
    void releaseConnections() {
        made.forEach(SecureConnection::release);
    }

    @Test
    void shouldQueueAConnectionOnceWhenItChangesRepeatedly() {
        final SecureConnection c = started(1, 0);
        schedule.changed(c);
        schedule.changed(c);
        schedule.markDirty(c);
        schedule.drainTo(0, countingSink);
        assertEquals(1, datagramsDrained, "one initiation, drained once");
        schedule.drainTo(0, countingSink);
        assertEquals(1, datagramsDrained, "the queue is empty after a drain");
    }

    @Test
    void shouldRescheduleAConnectionWhenPollingFindsItEmpty() {
        final SecureConnection c = started(1, 0);
        schedule.markDirty(c); // not rescheduled yet: only leaving the dirty queue does that
        assertEquals(Deadlines.NONE, schedule.nextDeadlineNs());
        final Transmit t = schedule.pollTransmit(0);
        t.datagram().release();
        assertEquals(Deadlines.NONE, schedule.nextDeadlineNs(), "still queued while it had output");
        assertNull(schedule.pollTransmit(0));
        assertNotEquals(Deadlines.NONE, c.nextDeadlineNs());
        assertEquals(c.nextDeadlineNs(), schedule.nextDeadlineNs());
    }

    @Test
    void shouldHandOutDueConnectionsInDeadlineOrderWhenTheirTimeComes() {
        final SecureConnection late = started(2, 50 * MS);
        final SecureConnection early = started(1, 0);
        schedule.changed(late);
        schedule.changed(early);
        schedule.drainTo(0, countingSink);
        final long earlyNs = early.nextDeadlineNs();
        assertEquals(earlyNs, schedule.nextDeadlineNs());
        assertNull(schedule.pollDue(earlyNs - 1), "nothing due early");
        assertSame(early, schedule.pollDue(late.nextDeadlineNs()));
        assertSame(late, schedule.pollDue(late.nextDeadlineNs()));
        assertNull(schedule.pollDue(late.nextDeadlineNs()), "each taken off the heap once");
        assertEquals(Deadlines.NONE, schedule.nextDeadlineNs());
    }

    @Test
    void shouldNeverScheduleAConnectionWhenTheEndpointNoLongerHoldsIt() {
        final SecureConnection c = started(1, 0);
        schedule.changed(c);
        schedule.remove(c);
        connections.remove(c.localConnectionId()); // freed, as the endpoint does
        schedule.changed(c);
        schedule.drainTo(0, countingSink);
        assertEquals(Deadlines.NONE, schedule.nextDeadlineNs());
    }

    private SecureConnection started(final long id, final long nowNs) {
        final SecureConnection c = new SecureConnection(config, new IgnoringOwner(), ByteBufAllocator.DEFAULT,
                random, id, SessionSimSide.SERVER_ADDRESS, "server");
        connections.put(id, c);
        made.add(c);
        c.start(nowNs);
        return c;
    }

    /** The endpoint side, absent: these connections only start, so they report nothing that matters here. */
    private static final class IgnoringOwner implements SecureConnection.Owner {
        @Override
        public void event(final SessionEvent event) {
        }

        @Override
        public void changed(final SecureConnection connection) {
        }

        @Override
        public long renumber(final SecureConnection connection, final long oldLocalId) {
            return oldLocalId;
        }
    }
}
