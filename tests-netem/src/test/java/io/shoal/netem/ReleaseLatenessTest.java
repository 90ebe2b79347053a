package io.shoal.netem;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lateness recorder on synthetic times (no clock, no timing): every sample counted, percentiles to 1%. */
class ReleaseLatenessTest {
    @Test
    void shouldCountEverySampleAndPlacePercentilesWhenBatchesAreHandedOff() {
        ReleaseLateness r = new ReleaseLateness();
        SplittableRandom random = new SplittableRandom(ApiServer.SEED);
        int n = 10_000;
        long[] latenessUs = new long[n];
        long handoffNs = 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            // Uniform 0..9999 us, in batches of 1 to 1000 (more than the recorder's first array: it must grow).
            latenessUs[i] = i;
            r.released(handoffNs - latenessUs[i] * 1000);
            if (random.nextInt(1000) == 0 || i == n - 1) {
                r.handedOff(handoffNs);
            }
        }
        LatenessSummary s = r.summary(false);
        assertEquals(n, s.count());
        assertEquals(0, s.early());
        assertEquals(0, s.minUs());
        assertEquals(n - 1, s.maxUs(), "the maximum is exact");
        assertNear(5000, s.p50Us());
        assertNear(9900, s.p99Us());
        assertNear(9990, s.p999Us());
        assertNear(4999.5, s.meanUs());
    }

    @Test
    void shouldCountEarlyReleasesAndStartOverWhenReset() {
        ReleaseLateness r = new ReleaseLateness();
        r.released(2_000);
        r.released(500);
        r.handedOff(1_000); // the first one was handed on 1 us before its time
        LatenessSummary s = r.summary(false);
        assertEquals(2, s.count());
        assertEquals(1, s.early());
        assertEquals(0, s.minUs(), "an early release counts as no lateness");
        assertEquals(s, r.summary(true), "the summary taken with the reset is the last one");
        assertEquals(LatenessSummary.EMPTY, r.summary(false));
        r.released(0);
        r.handedOff(ReleaseLateness.MAX_TRACKED_NS * 2); // a stall beyond the tracked range is still counted
        assertEquals(1, r.summary(false).count());
        assertEquals(ReleaseLateness.MAX_TRACKED_NS * 2 / 1000, r.summary(false).maxUs());
    }

    private static void assertNear(double expectedUs, double actualUs) {
        assertTrue(Math.abs(actualUs - expectedUs) <= expectedUs * 0.01 + 1, "expected about " + expectedUs
            + " us, got " + actualUs);
    }
}
