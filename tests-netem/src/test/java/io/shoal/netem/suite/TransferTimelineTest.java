package io.shoal.netem.suite;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TransferTimelineTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldChargeStartupAndTailAgainstTheMiddleRateWhenTheEndsAreSlow() {
        // 1000 bytes: nothing for 500 ms, then 10 bytes per 10 ms (8 kbit/s) until 900, then the last 100 in 400 ms.
        TransferTimeline t = new TransferTimeline(0, 1000);
        long nowNs = 500 * MS;
        long bytes = 0;
        t.record(100 * MS, 0);
        while (bytes < 900) {
            bytes += 10;
            nowNs += 10 * MS;
            t.record(nowNs, bytes);
        }
        long at900Ns = nowNs;
        t.record(at900Ns + 200 * MS, 950);
        t.record(at900Ns + 400 * MS, 1000);
        assertEquals(0.51, t.firstByteSeconds(), 1e-9);
        assertEquals(8000, t.middleBitsPerSecond(), 1e-6);
        String s = t.summary(at900Ns + 400 * MS);
        // First 10% at 0.6 s against 0.1 s at the middle's rate; the last 10% took 0.4 s against 0.1 s.
        assertTrue(s.contains("first byte 0.51 s, first 10% in 0.60 s (+0.50 s"), s);
        assertTrue(s.contains("last 10% in 0.40 s (+0.30 s)"), s);
        assertEquals(0.76, t.fullRateSeconds(8000), 1e-9, "250 ms at the middle's rate from 0.51 s on");
    }

    @Test
    void shouldKeepBoundedSamplesWhenTheTransferIsLong() {
        TransferTimeline t = new TransferTimeline(0, 1_000_000);
        for (int i = 1; i <= 1_000_000; i++) {
            t.record(i * MS, i);
        }
        assertEquals(8000, t.middleBitsPerSecond(), 1);
        String s = t.summary(1_000_000 * MS);
        // Thinned to every 256th sample or so: the 90% mark is found at most that many samples late.
        assertTrue(s.matches(".*last 10% in (99\\.[7-9]\\d|100\\.00) s.*"), s);
    }

    @Test
    void shouldSayTooFewSamplesWhenNothingArrived() {
        TransferTimeline t = new TransferTimeline(0, 10);
        assertEquals(-1, t.firstByteSeconds());
        assertEquals("time profile: too few samples", t.summary(MS));
    }
}
