package io.shoal.peer.node;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The redial schedule in virtual time: backoff doubling to a cap, give up after N failures, never a banned peer. */
class PeerCandidatesTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 7001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 7002);

    @Test
    void shouldDoubleBackoffAfterEachFailedDialWhenAddressKeepsFailing() {
        PeerCandidates c = new PeerCandidates(5 * S, 20);
        long now = 0;
        c.offer(A, now);
        long expected = 5 * S;
        for (int failure = 1; failure <= 10; failure++) {
            assertEquals(A, c.next(now, a -> false), "due at failure " + failure);
            assertNull(c.next(now, a -> false), "busy while dialling");
            c.dialFailed(A, now);
            assertEquals(now + expected, c.dueNs(A));
            assertNull(c.next(now + expected - 1, a -> false), "not before the backoff");
            now += expected;
            expected = Math.min(expected * 2, PeerCandidates.MAX_BACKOFF_NS);
        }
        assertEquals(PeerCandidates.MAX_BACKOFF_NS, expected, "5 s doubled 9 times is past the 5 min cap");
    }

    @Test
    void shouldGiveUpWhenMaxFailuresReached() {
        PeerCandidates c = new PeerCandidates(S, 3);
        long now = 0;
        c.offer(A, now);
        for (int i = 0; i < 3; i++) {
            assertEquals(A, c.next(now, a -> false));
            c.dialFailed(A, now);
            now += 10 * S;
        }
        assertTrue(c.isGivenUp(A));
        c.offer(A, now);
        assertNull(c.next(now + 3600 * S, a -> false), "a later announce does not revive it");
    }

    @Test
    void shouldRedialDroppedConnectionWhenBackoffElapsedAndResetAfterLongConnection() {
        PeerCandidates c = new PeerCandidates(5 * S, 8);
        c.offer(A, 0);
        assertEquals(A, c.next(0, a -> false));
        c.connected(A, 0);
        c.dropped(A, S);
        assertEquals(6 * S, c.dueNs(A), "first drop: 5 s");
        assertEquals(A, c.next(6 * S, a -> false));
        c.connected(A, 6 * S);
        c.dropped(A, 7 * S);
        assertEquals(17 * S, c.dueNs(A), "second quick drop: 10 s");
        assertEquals(A, c.next(17 * S, a -> false));
        c.connected(A, 17 * S);
        long later = 17 * S + PeerCandidates.LONG_LIVED_NS;
        c.dropped(A, later);
        assertEquals(later + 5 * S, c.dueNs(A), "a long connection resets the backoff");
    }

    @Test
    void shouldNeverDialBannedAddressWhenDue() {
        PeerCandidates c = new PeerCandidates(S, 8);
        c.offer(A, 0);
        c.offer(B, 0);
        assertEquals(B, c.next(0, a -> a.equals(A)));
        assertTrue(c.isGivenUp(A));
        assertFalse(c.isGivenUp(B));
        assertNull(c.next(100 * S, a -> false));
    }

    @Test
    void shouldNotDialAddressWhileConnectedFromIt() {
        PeerCandidates c = new PeerCandidates(S, 8);
        c.connected(A, 0); // an incoming peer named this listen address
        c.offer(A, 0);
        assertNull(c.next(0, a -> false));
        c.dropped(A, S);
        assertEquals(A, c.next(2 * S, a -> false));
    }
}
