package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Pacer} on virtual time: a burst is spread at the pacing rate. */
class PacerTest {
    private static final int SEGMENT = 1000;
    private static final long RATE = 1_000_000; // bytes per second: one segment per millisecond
    private static final long BURST = 4 * SEGMENT;

    @Test
    void shouldSpreadABurstOverSegmentsTimesSizeOverRate() {
        Pacer pacer = new Pacer(BURST);
        long nowNs = 0;
        long[] sendTimesNs = new long[200];
        int sent = 0;
        while (sent < sendTimesNs.length) {
            if (pacer.tryConsume(nowNs, SEGMENT, RATE)) {
                sendTimesNs[sent++] = nowNs;
            } else {
                long next = pacer.nextSendTimeNs(nowNs, RATE);
                assertTrue(next > nowNs, "a refused send must be given a later time");
                nowNs = next;
            }
        }
        double idealNs = (double) sendTimesNs.length * SEGMENT / RATE * 1e9;
        double slackNs = (double) (BURST + SEGMENT) / RATE * 1e9; // the initial bucket leaves at once
        long elapsedNs = sendTimesNs[sendTimesNs.length - 1];
        assertTrue(Math.abs(elapsedNs - idealNs) <= slackNs, "200 segments took " + elapsedNs + " ns");
        for (int i = 10; i < sendTimesNs.length; i++) {
            long gapNs = sendTimesNs[i] - sendTimesNs[i - 1];
            assertEquals(1_000_000, gapNs, 2_000, "steady-state gap at segment " + i);
        }
    }

    @Test
    void shouldAllowOnlyTheBurstBackToBackAfterIdle() {
        Pacer pacer = new Pacer(BURST);
        long nowNs = 0;
        while (pacer.tryConsume(nowNs, SEGMENT, RATE)) {
            assertTrue(nowNs == 0); // time stands still while the bucket drains
        }
        nowNs = 10_000_000_000L; // ten idle seconds would be 10 MB of tokens without the cap
        int backToBack = 0;
        while (pacer.tryConsume(nowNs, SEGMENT, RATE)) {
            backToBack++;
        }
        assertEquals(BURST / SEGMENT, backToBack);
    }

    @Test
    void shouldNeverHoldBackWhenUnpaced() {
        Pacer pacer = new Pacer(BURST);
        for (int i = 0; i < 1000; i++) {
            assertTrue(pacer.tryConsume(0, SEGMENT, 0));
        }
        assertEquals(5, pacer.nextSendTimeNs(5, 0));
    }
}
