package io.shoal.netem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wake-up trace on synthetic times and scheduler statistics (no clock, no /proc): causes and the worst kept. */
class WakeupTraceTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    @Test
    void shouldPutEachLateBatchDownToItsDominantCause() {
        WakeupTrace t = new WakeupTrace();
        // Timer due at 10 ms, woke 3 ms late, of which the thread waited 2.9 ms for a CPU: the run queue.
        batch(t, 10 * MS, 13 * MS, 100 * US, 2900 * US, 100 * US);
        // Woke 3 ms late having run 2.8 ms meanwhile (reading a backlog): busy before the wake-up.
        batch(t, 20 * MS, 23 * MS, 2800 * US, 100 * US, 100 * US);
        // Woke 3 ms late, neither running nor waiting: the timer or a block (a safepoint).
        batch(t, 30 * MS, 33 * MS, 10 * US, 10 * US, 100 * US);
        // Woke on time, the batch took 2 ms: processing.
        batch(t, 40 * MS, 40 * MS, 10 * US, 10 * US, 2 * MS);
        // On time and quick: not late, not counted.
        batch(t, 50 * MS, 50 * MS, 10 * US, 10 * US, 50 * US);
        for (WakeupTrace.Cause c : WakeupTrace.Cause.values()) {
            assertEquals(1, t.lateBatches(c), c.name());
        }
        assertEquals(4, t.kept());
        assertTrue(t.summary(false).startsWith("5 wake-ups"), t.summary(false));
    }

    @Test
    void shouldKeepTheLatestWakeUpsLatestFirstWhenThereAreMoreThanItKeeps() {
        WakeupTrace t = new WakeupTrace();
        int n = 3 * WakeupTrace.WORST;
        for (int i = 0; i < n; i++) {
            long lateUs = 1000 + (i * 7919L % n) * 100; // every lateness once, in a scrambled order
            batch(t, i * 100 * MS, i * 100 * MS + lateUs * US, 0, lateUs * US, 0);
        }
        assertEquals(WakeupTrace.WORST, t.kept());
        for (int rank = 0; rank < WakeupTrace.WORST; rank++) {
            // The window adds nothing here: the first datagram was due at the timer's time.
            assertEquals((1000 + (n - 1 - rank) * 100L) * US, t.keptLatenessNs(rank), "rank " + rank);
        }
        t.summary(true);
        assertEquals(0, t.kept());
        assertEquals(0, t.lateBatches(WakeupTrace.Cause.RUN_QUEUE));
    }

    /** One wake-up for a timer due at {@code dueNs} whose first datagram was due then too, flushed after the batch. */
    private static void batch(WakeupTrace t, long dueNs, long wakeNs, long ranNs, long waitedNs, long batchNs) {
        t.woke(dueNs, wakeNs, ranNs, waitedNs, 1);
        t.flushed(dueNs, 10, wakeNs + batchNs);
    }
}
