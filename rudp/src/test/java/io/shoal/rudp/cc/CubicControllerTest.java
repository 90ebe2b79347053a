package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link CubicController} driven by a synthetic clock: each "round trip" sends a full window and then acknowledges it
 * one segment per ACK, spread evenly over the RTT.
 */
class CubicControllerTest {
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;
    private final RateSample sample = new RateSample();
    private final CubicController cc = new CubicController(new CcParams(MSS, 2, 100 * MS, 100_000));
    private long nowNs;
    private long rttNs = 100 * MS;
    /** Segments sent but not yet acknowledged by the driver. */
    private int outstanding;

    private void send(int segments) {
        for (int i = 0; i < segments; i++) {
            outstanding++;
            cc.onSent(nowNs, MSS, outstanding, false);
        }
    }

    private void ack(int segments) {
        int window = Math.max(1, outstanding);
        for (int i = 0; i < segments; i++) {
            nowNs += rttNs / window;
            cc.onRttSample(nowNs, rttNs);
            // In flight as an ACK-clocked sender would keep it: the window, refilled as ACKs arrive.
            cc.onAck(nowNs, 1, MSS, Math.max(outstanding, cc.cwndSegments()), 100_000, sample);
            outstanding--;
        }
    }

    private void roundTrip() {
        send(cc.cwndSegments());
        ack(outstanding);
    }

    /** Leaves slow start with a loss at about {@code segments}. */
    private void growToAndLose(int segments) {
        while (cc.cwndSegments() < segments) {
            send(1);
            ack(1);
        }
        send(cc.cwndSegments());
        ack(1);
        cc.onFastRetransmit(nowNs, 1, outstanding);
        ack(outstanding); // the rest of the window, all sent before the cut: the recovery epoch ends
    }

    @Test
    void shouldStartAtTenSegmentsAndAddOnePerSegmentAckedInSlowStart() {
        assertEquals(10, cc.cwndSegments());
        assertTrue(cc.inSlowStart());
        roundTrip();
        assertEquals(20, cc.cwndSegments());
        roundTrip();
        assertEquals(40, cc.cwndSegments());
    }

    @Test
    void shouldCutByBetaOncePerRecoveryEpoch() {
        while (cc.cwndSegments() < 100) {
            roundTrip();
        }
        send(cc.cwndSegments());
        ack(10);
        double before = cc.cwndBytes();
        cc.onFastRetransmit(nowNs, 1, outstanding);
        int afterCut = cc.cwndSegments();
        assertEquals(before * CubicController.BETA, cc.cwndBytes(), 1e-6);
        assertEquals(before, cc.wMaxBytes(), 1e-6);
        assertTrue(cc.inRecovery());

        cc.onFastRetransmit(nowNs, 3, outstanding); // more losses among segments sent before the cut
        ack(outstanding - 1);
        cc.onFastRetransmit(nowNs, 1, outstanding);
        assertEquals(afterCut, cc.cwndSegments(), "no second cut, and no growth, within one epoch");

        ack(1); // the last segment sent before the cut is acknowledged: the epoch is over
        assertFalse(cc.inRecovery());
        send(cc.cwndSegments());
        ack(1);
        cc.onFastRetransmit(nowNs, 1, outstanding);
        assertEquals((int) (afterCut * CubicController.BETA), cc.cwndSegments(), 1, "a new epoch cuts again");
    }

    @Test
    void shouldGrowConcaveBelowWMaxAndConvexAboveIt() {
        // A large W_max keeps the Reno-friendly estimate below the cubic curve for the whole run.
        growToAndLose(400);
        double wMax = cc.wMaxBytes() / MSS;
        assertEquals(400, wMax, 1);
        int rounds = 130; // 13 s at 100 ms; K = cbrt(120 / 0.4) = 6.7 s
        double[] cwnd = new double[rounds + 1];
        cwnd[0] = cc.cwndBytes() / MSS;
        for (int i = 1; i <= rounds; i++) {
            roundTrip();
            cwnd[i] = cc.cwndBytes() / MSS;
        }
        double kRounds = cc.kSeconds() * 10;
        assertEquals(Math.cbrt(120 / CubicController.C), cc.kSeconds(), 0.05);
        double earlyGrowth = cwnd[10] - cwnd[0];
        double lateConcaveGrowth = cwnd[60] - cwnd[50];
        assertTrue(earlyGrowth > 3 * lateConcaveGrowth, "concave: " + earlyGrowth + " then " + lateConcaveGrowth);
        int plateau = (int) Math.round(kRounds);
        assertEquals(wMax, cwnd[plateau], 2.0, "near W_max at t = K");
        double earlyConvexGrowth = cwnd[plateau + 20] - cwnd[plateau + 10];
        double lateConvexGrowth = cwnd[plateau + 50] - cwnd[plateau + 40];
        assertTrue(lateConvexGrowth > 3 * earlyConvexGrowth,
                "convex: " + earlyConvexGrowth + " then " + lateConvexGrowth);
        for (int i = 1; i <= rounds; i++) {
            assertTrue(cwnd[i] >= cwnd[i - 1], "never shrinks without loss, round " + i);
        }
    }

    @Test
    void shouldApplyFastConvergenceWhenLossComesBelowThePreviousMaximum() {
        growToAndLose(100);
        double firstWMax = cc.wMaxBytes();
        for (int i = 0; i < 5; i++) {
            roundTrip();
        }
        send(cc.cwndSegments());
        ack(1);
        double cwndAtLoss = cc.cwndBytes();
        assertTrue(cwndAtLoss < firstWMax);
        cc.onFastRetransmit(nowNs, 1, outstanding);
        assertEquals(cwndAtLoss * (1 + CubicController.BETA) / 2, cc.wMaxBytes(), 1e-6);
    }

    @Test
    void shouldFollowTheRenoFriendlyEstimateWhenTheRttIsShort() {
        rttNs = MS;
        growToAndLose(20);
        double wMax = cc.wMaxBytes() / MSS;
        for (int i = 0; i < 200; i++) { // 0.2 s: the cubic curve has barely moved (K = 2.5 s)
            roundTrip();
        }
        double cubicSegments = CubicController.C * Math.pow(0.2 - cc.kSeconds(), 3) + wMax;
        assertTrue(cubicSegments < 17, "cubic alone would be at " + cubicSegments);
        // W_est: +0.53 segments per RTT up to cwnd_prior (20), then +1 per RTT.
        assertTrue(cc.cwndSegments() > 150, "Reno-friendly window " + cc.cwndSegments());
    }

    @Test
    void shouldCollapseToTwoSegmentsOnTimeoutAndSlowStartBackToSsthresh() {
        while (cc.cwndSegments() < 40) {
            roundTrip();
        }
        int before = cc.cwndSegments();
        send(before);
        cc.onRetransmitTimeout(nowNs, outstanding);
        assertEquals(CubicController.MIN_WINDOW_SEGMENTS, cc.cwndSegments());
        assertEquals(before * CubicController.BETA * MSS, cc.ssthreshBytes(), 1e-6);
        cc.onRetransmitTimeout(nowNs, outstanding);
        assertEquals(before * CubicController.BETA * MSS, cc.ssthreshBytes(), 1e-6, "one reduction per epoch");
        assertTrue(cc.inSlowStart());
        ack(outstanding); // after a timeout slow start runs at once, as TCP's does in its loss state
        assertTrue(cc.cwndSegments() >= (int) (before * CubicController.BETA));
    }

    @Test
    void shouldRestoreTheWindowWhenATimeoutProvesSpurious() {
        growToAndLose(60);
        for (int i = 0; i < 5; i++) {
            roundTrip();
        }
        int before = cc.cwndSegments();
        double ssthreshBefore = cc.ssthreshBytes();
        send(before);
        cc.onRetransmitTimeout(nowNs, outstanding);
        assertEquals(CubicController.MIN_WINDOW_SEGMENTS, cc.cwndSegments());
        cc.onSpuriousRetransmit(nowNs, false);
        assertEquals(CubicController.MIN_WINDOW_SEGMENTS, cc.cwndSegments(), "a spurious fast resend undoes nothing");
        cc.onSpuriousRetransmit(nowNs, true); // RFC 4015: the ACK echoed the original send's timestamp
        assertEquals(before, cc.cwndSegments());
        assertEquals(ssthreshBefore, cc.ssthreshBytes(), 1e-6);
        assertFalse(cc.inRecovery());
        cc.onSpuriousRetransmit(nowNs, true);
        assertEquals(before, cc.cwndSegments(), "undone once");
    }

    @Test
    void shouldKeepALaterFastRecoveryCutWhenAnEarlierTimeoutProvesSpurious() {
        growToAndLose(60);
        send(cc.cwndSegments());
        cc.onRetransmitTimeout(nowNs, outstanding);
        ack(outstanding); // the timeout's recovery ends
        send(cc.cwndSegments());
        cc.onFastRetransmit(nowNs, 1, outstanding);
        int afterCut = cc.cwndSegments();
        cc.onSpuriousRetransmit(nowNs, true);
        assertEquals(afterCut, cc.cwndSegments());
    }

    @Test
    void shouldLeaveSlowStartWhenTheRoundMinimumRttRises() {
        roundTrip();
        roundTrip();
        assertTrue(cc.inSlowStart(), "a steady RTT keeps slow start going");
        rttNs += 13 * MS; // more than max(4 ms, min(16 ms, 100 ms / 8)) above the last round's minimum
        roundTrip();
        assertFalse(cc.inSlowStart());
        assertEquals(cc.cwndBytes(), cc.ssthreshBytes(), MSS);
    }

    @Test
    void shouldNotGrowWhileTheApplicationLeavesTheWindowUnused() {
        int before = cc.cwndSegments();
        for (int i = 0; i < 100; i++) {
            cc.onSent(nowNs, MSS, 1, false);
            nowNs += MS;
            cc.onAck(nowNs, 1, MSS, 1, 100_000, sample);
        }
        assertEquals(before, cc.cwndSegments());
    }

    @Test
    void shouldPaceAtTwiceTheWindowInSlowStartAndOneQuarterAboveItAfter() {
        roundTrip();
        double expected = 2.0 * cc.cwndBytes() / 0.1;
        assertEquals(expected, cc.pacingRateBytesPerSecond(), expected * 0.01);
        growToAndLose(60);
        expected = 1.25 * cc.cwndBytes() / 0.1;
        assertEquals(expected, cc.pacingRateBytesPerSecond(), expected * 0.01);
    }

    @Test
    void shouldNeverExceedTheSendWindow() {
        CubicController small = new CubicController(new CcParams(MSS, 0, 100 * MS, 8));
        assertEquals(8, small.cwndSegments());
        for (int i = 0; i < 100; i++) {
            small.onSent(i, MSS, 8, false);
            small.onAck(i, 1, MSS, 8, 128, sample);
        }
        assertEquals(8, small.cwndSegments());
    }
}
