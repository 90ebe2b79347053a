package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link AckAggregation}: ACKs at the bottleneck's pace leave no allowance; ACKs in bursts leave one burst. */
class AckAggregationTest {
    private static final int MSS = 1000;
    private static final long RATE = 100_000_000; // bytes per second: one segment per 10 us
    private static final long CWND = 10_000_000;

    @Test
    void shouldLeaveAboutOneSegmentWhenAcksArriveAtTheBandwidth() {
        AckAggregation agg = new AckAggregation();
        for (int i = 0; i < 10_000; i++) {
            agg.onAck(i * 10_000L, i / 100, MSS, RATE, CWND);
        }
        assertTrue(agg.allowanceBytes(RATE) <= 2 * MSS, "allowance " + agg.allowanceBytes(RATE));
    }

    @Test
    void shouldAllowOneBurstWhenAcksArriveInBatches() {
        AckAggregation agg = new AckAggregation();
        long periodNs = 1_000_000; // 100 segments' worth of ACKs, all at once every millisecond
        for (int burst = 0; burst < 50; burst++) {
            for (int i = 0; i < 100; i++) {
                agg.onAck(burst * periodNs, burst, MSS, RATE, CWND);
            }
        }
        assertEquals(100 * MSS, agg.allowanceBytes(RATE), 2 * MSS);
    }

    @Test
    void shouldCapTheAllowanceAtTheWindowAndAtOneHundredMilliseconds() {
        AckAggregation agg = new AckAggregation();
        for (int i = 0; i < 1000; i++) {
            agg.onAck(0, 0, MSS, RATE, 50 * MSS);
        }
        assertEquals(50 * MSS, agg.allowanceBytes(RATE), "no more than the window");
        assertEquals(RATE / 1000 / 10, agg.allowanceBytes(RATE / 1000), "no more than 100 ms at the bandwidth");
    }

    @Test
    void shouldForgetABurstAfterTheWindowOfRounds() {
        AckAggregation agg = new AckAggregation();
        for (int i = 0; i < 100; i++) {
            agg.onAck(0, 0, MSS, RATE, CWND);
        }
        long nowNs = 1_000_000;
        for (long round = 1; round <= 3L * AckAggregation.WINDOW_ROUNDS; round++) {
            for (int i = 0; i < 100; i++) {
                nowNs += 10_000;
                agg.onAck(nowNs, round, MSS, RATE, CWND);
            }
        }
        assertTrue(agg.allowanceBytes(RATE) <= 2 * MSS, "allowance " + agg.allowanceBytes(RATE));
    }
}
