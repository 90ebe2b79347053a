package io.shoal.rudp.cc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullPipeDetectorTest {
    private final FullPipeDetector detector = new FullPipeDetector();
    private final RateSample sample = new RateSample();

    @Test
    void shouldFindThePipeFullAfterThreeRoundsWithoutTwentyFivePercentGrowth() {
        detector.onAck(true, sample, false, 1_000);
        detector.onAck(true, sample, false, 1_200); // +20%: not growth
        detector.onAck(true, sample, false, 1_240);
        assertFalse(detector.filledPipe());
        detector.onAck(true, sample, false, 1_240);
        assertTrue(detector.filledPipe());
        detector.onAck(true, sample, false, 10_000);
        assertTrue(detector.filledPipe(), "full stays full");
    }

    @Test
    void shouldRestartTheCountWhenTheBandwidthGrowsByAQuarter() {
        detector.onAck(true, sample, false, 1_000);
        detector.onAck(true, sample, false, 1_000);
        detector.onAck(true, sample, false, 1_000);
        detector.onAck(true, sample, false, 1_250);
        detector.onAck(true, sample, false, 1_250);
        detector.onAck(true, sample, false, 1_250);
        assertFalse(detector.filledPipe());
        detector.onAck(true, sample, false, 1_250);
        assertTrue(detector.filledPipe());
    }

    @Test
    void shouldCountOnlyRoundStartsAndIgnoreApplicationLimitedRoundsWithoutAStandingQueue() {
        detector.onAck(true, sample, false, 1_000);
        for (int i = 0; i < 10; i++) {
            detector.onAck(false, sample, false, 1_000);
            detector.onAck(true, null, false, 1_000);
        }
        sample.appLimited = true;
        for (int i = 0; i < 10; i++) {
            detector.onAck(true, sample, false, 1_000);
        }
        assertFalse(detector.filledPipe());
        for (int i = 0; i < 3; i++) {
            detector.onAck(true, sample, true, 1_000); // an app-limited round that met a standing queue counts
        }
        assertTrue(detector.filledPipe());
    }
}
