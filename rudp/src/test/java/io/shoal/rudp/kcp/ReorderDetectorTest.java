package io.shoal.rudp.kcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReorderDetector}: RACK's "sent before a delivered segment" rule, reorder window and its widening. */
final class ReorderDetectorTest {
    private final ReorderDetector rack = new ReorderDetector();

    @Test
    void shouldDeclareNothingLostBeforeALaterSentSegmentIsDelivered() {
        assertEquals(ReorderDetector.NOT_ELIGIBLE, rack.lossDelayMs(1000, 5, 25, 2000));
        rack.onDelivered(1000, 5, 1100);
        assertEquals(ReorderDetector.NOT_ELIGIBLE, rack.lossDelayMs(1000, 5, 25, 1100), "the delivered one itself");
        assertEquals(ReorderDetector.NOT_ELIGIBLE, rack.lossDelayMs(1001, 4, 25, 1100), "sent after it");
    }

    @Test
    void shouldDeclareAnEarlierSendLostOneRttPlusTheReorderWindowAfterIt() {
        rack.onDelivered(1000, 5, 1100); // RACK.rtt = 100 ms
        assertEquals(1000 + 100 + 25 - 1100, rack.lossDelayMs(1000, 4, 25, 1100), "same ms, lower serial number");
        assertEquals(0, rack.lossDelayMs(990, 3, 25, 1115));
        assertTrue(rack.lossDelayMs(990, 3, 25, 1114) > 0);
    }

    @Test
    void shouldIgnoreDeliveriesOfOlderSendsAndEchoesFromTheFuture() {
        rack.onDelivered(1000, 5, 1100);
        assertTrue(!rack.onDelivered(999, 9, 1101), "an older send does not move RACK");
        assertTrue(!rack.onDelivered(1200, 10, 1101), "ts ahead of the clock");
        assertEquals(5, rack.rackSn());
    }

    @Test
    void shouldStartAtAQuarterMinRttWidenOncePerRoundTripAndCapAtSrtt() {
        rack.onDelivered(1000, 1, 1080); // min RTT 80 ms
        assertEquals(20, rack.reorderWindowMs(100));
        rack.onSpurious(1100, 100);
        rack.onSpurious(1150, 100); // same round trip: no second step
        assertEquals(40, rack.reorderWindowMs(100));
        rack.onSpurious(1200, 100);
        rack.onSpurious(1300, 100);
        rack.onSpurious(1400, 100);
        rack.onSpurious(1500, 100);
        assertEquals(100, rack.reorderWindowMs(100), "capped at srtt");
        for (int i = 0; i < ReorderDetector.PERSIST_RECOVERIES; i++) {
            rack.onRecovery();
        }
        assertEquals(20, rack.reorderWindowMs(100), "back to min RTT / 4 after enough clean recoveries");
    }

    @Test
    void shouldHandleTimestampWrapAround() {
        int ts = Integer.MAX_VALUE - 10;
        rack.onDelivered(ts, 7, ts + 100); // wraps
        assertEquals(ts - 1 + 100 + 10 - (ts + 50), rack.lossDelayMs(ts - 1, 6, 10, ts + 50));
    }
}
