package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link BbrController} fed synthetic delivery-rate samples: one segment acknowledged per ACK, ACKs spaced at the
 * delivery rate, every sample covering one RTT of deliveries, so a round trip ends every RTT.
 */
class BbrControllerTest {
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;
    private static final long RATE = 1_000_000; // bytes per second
    private static final long RTT_NS = 50 * MS;
    private static final int BDP_SEGMENTS = (int) (RATE * RTT_NS / 1_000_000_000L / MSS); // 50

    private final RateSample sample = new RateSample();
    private final BbrController cc = new BbrController(new CcParams(MSS, 2, 100 * MS, 10_000), 7);
    private long nowNs;
    private long deliveredBytes;

    private void ack(long rate, long rttNs, int priorInflight, boolean appLimited, int lost) {
        nowNs += MSS * 1_000_000_000L / rate;
        deliveredBytes += MSS;
        sample.reset();
        sample.deliveredBytes = Math.min(deliveredBytes, rate * rttNs / 1_000_000_000L);
        sample.intervalNs = sample.deliveredBytes * 1_000_000_000L / rate;
        sample.rttNs = rttNs;
        sample.appLimited = appLimited;
        sample.totalDeliveredBytes = deliveredBytes;
        sample.lostSegments = lost;
        cc.onRttSample(nowNs, rttNs);
        cc.onAck(nowNs, 1, MSS, priorInflight, 10_000, sample);
    }

    /** One RTT of ACKs at {@code rate}. */
    private void round(long rate, int priorInflight) {
        long acks = rate * RTT_NS / 1_000_000_000L / MSS;
        for (long i = 0; i < acks; i++) {
            ack(rate, RTT_NS, priorInflight, false, 0);
        }
    }

    private void reachProbeBw() {
        for (int i = 0; i < 10 && cc.mode() != BbrController.Mode.PROBE_BW; i++) {
            round(RATE, BDP_SEGMENTS);
        }
        assertEquals(BbrController.Mode.PROBE_BW, cc.mode());
    }

    @Test
    void shouldStartWithTheInitialWindowPacedOverTheInitialRtt() {
        assertEquals(BbrController.INITIAL_CWND_SEGMENTS, cc.cwndSegments());
        double expected = BbrController.HIGH_GAIN * 32 * MSS / 0.1;
        assertEquals(expected, cc.pacingRateBytesPerSecond(), expected * 0.001);
        assertEquals(BbrController.Mode.STARTUP, cc.mode());
        cc.onRttSample(0, 20 * MS); // a measured RTT before any bandwidth sample: pace the window over it
        cc.onAck(0, 1, MSS, 1, 128, new RateSample());
        expected = BbrController.HIGH_GAIN * 32 * MSS / 0.02;
        assertEquals(expected, cc.pacingRateBytesPerSecond(), expected * 0.001);
    }

    @Test
    void shouldConvergeToTheDeliveryRateWithinAFewRounds() {
        for (int i = 0; i < 3; i++) {
            round(RATE, BDP_SEGMENTS);
        }
        assertEquals(RATE, cc.bottleneckBandwidthBytesPerSecond(), RATE * 0.01);
        assertEquals(RTT_NS, cc.minRttNs());
        assertTrue(cc.roundCount() >= 3 && cc.roundCount() <= 4, "rounds " + cc.roundCount());
    }

    @Test
    void shouldLeaveStartupThroughDrainWhenBandwidthStopsGrowing() {
        for (long rate = RATE / 16; rate < RATE; rate *= 2) {
            round(rate, BDP_SEGMENTS);
            assertEquals(BbrController.Mode.STARTUP, cc.mode(), "still doubling at " + rate);
        }
        int rounds = 0;
        while (cc.mode() == BbrController.Mode.STARTUP && rounds < 10) {
            round(RATE, 3 * BDP_SEGMENTS); // the startup queue: in flight is well above one BDP
            rounds++;
        }
        assertTrue(cc.filledPipe());
        assertTrue(rounds <= 4, "three rounds without 25% growth, took " + rounds);
        assertEquals(BbrController.Mode.DRAIN, cc.mode());
        assertEquals(BbrController.DRAIN_GAIN, cc.pacingGain(), 1e-9);
        assertEquals(BbrController.DRAIN_GAIN * RATE, cc.pacingRateBytesPerSecond(), RATE * 0.01);
        ack(RATE, RTT_NS, BDP_SEGMENTS, false, 0); // the queue drained: one BDP in flight
        assertEquals(BbrController.Mode.PROBE_BW, cc.mode());
        assertEquals(BbrController.CWND_GAIN, cc.cwndGain(), 1e-9);
        // Plus the ACK-aggregation allowance: in the doubling STARTUP rounds ACKs ran ahead of the lagging estimate.
        int base = 2 * BDP_SEGMENTS + BbrController.QUANTA_IN_WINDOW * cc.quantumSegments();
        assertTrue(cc.cwndSegments() >= base - 2 && cc.cwndSegments() <= base + 5, "cwnd " + cc.cwndSegments());
    }

    @Test
    void shouldCycleThePacingGainOnePhasePerMinRtt() {
        reachProbeBw();
        List<Double> phases = new ArrayList<>();
        List<Long> startsNs = new ArrayList<>();
        for (int i = 0; i < 24 * BDP_SEGMENTS; i++) { // 24 RTTs: three full cycles
            double before = cc.pacingGain();
            ack(RATE, RTT_NS, cc.cwndSegments(), false, 0);
            if (cc.pacingGain() != before) { // a real phase start, not the middle of the first phase
                phases.add(cc.pacingGain());
                startsNs.add(nowNs);
            }
        }
        int probe = phases.indexOf(1.25);
        assertTrue(probe >= 0 && probe + 2 < phases.size(), "phases " + phases);
        assertEquals(0.75, phases.get(probe + 1));
        assertEquals(1.0, phases.get(probe + 2));
        int nextProbe = phases.subList(probe + 1, phases.size()).indexOf(1.25) + probe + 1;
        long cycleNs = startsNs.get(nextProbe) - startsNs.get(probe);
        assertEquals(8 * RTT_NS, cycleNs, RTT_NS / 2, "eight phases of about one min RTT each");
        for (int i = 0; i < 6 * BDP_SEGMENTS; i++) {
            ack(RATE, RTT_NS, cc.cwndSegments(), false, 0);
            if (cc.pacingGain() == 1.0) {
                assertEquals(RATE, cc.pacingRateBytesPerSecond(), RATE * 0.01);
            }
        }
    }

    @Test
    void shouldIgnoreApplicationLimitedSamplesBelowTheEstimate() {
        reachProbeBw();
        for (int i = 0; i < 30; i++) { // three times the filter window
            for (int j = 0; j < BDP_SEGMENTS; j++) {
                ack(RATE / 4, RTT_NS, 5, true, 0);
            }
        }
        assertEquals(RATE, cc.bottleneckBandwidthBytesPerSecond(), RATE * 0.01);
        ack(2 * RATE, RTT_NS, 5, true, 0);
        assertEquals(2 * RATE, cc.bottleneckBandwidthBytesPerSecond(), RATE * 0.01, "unless they raise it");
    }

    @Test
    void shouldForgetAFasterPathAfterTenRounds() {
        reachProbeBw();
        for (int i = 0; i < BbrModel.BW_WINDOW_ROUNDS + 3; i++) {
            round(RATE / 2, BDP_SEGMENTS);
        }
        assertEquals(RATE / 2, cc.bottleneckBandwidthBytesPerSecond(), RATE * 0.01);
    }

    @Test
    void shouldProbeRttWithHalfABdpWhenTheMinRttWasNotRefreshedForTenSeconds() {
        reachProbeBw();
        long probeBwCwnd = cc.cwndSegments();
        long startNs = nowNs;
        while (cc.mode() != BbrController.Mode.PROBE_RTT && nowNs - startNs < 12_000 * MS) {
            ack(RATE, RTT_NS + 10 * MS, BDP_SEGMENTS, false, 0); // a standing queue: never the old minimum
        }
        assertEquals(BbrController.Mode.PROBE_RTT, cc.mode());
        assertEquals(10_000 * MS, nowNs - startNs, 100 * MS);
        assertEquals(halfBdpSegments(), cc.cwndSegments());
        assertTrue(cc.cwndSegments() < probeBwCwnd / 2, "PROBE_RTT drains the queue");
        long enteredNs = nowNs;
        while (cc.mode() == BbrController.Mode.PROBE_RTT && nowNs - enteredNs < 1_000 * MS) {
            ack(RATE, RTT_NS, halfBdpSegments(), false, 0);
            if (cc.mode() == BbrController.Mode.PROBE_RTT) {
                assertEquals(halfBdpSegments(), cc.cwndSegments());
            }
        }
        long durationNs = nowNs - enteredNs;
        assertTrue(durationNs >= BbrController.PROBE_RTT_DURATION_NS && durationNs < 300 * MS,
                "PROBE_RTT lasted " + durationNs + " ns");
        assertEquals(BbrController.Mode.PROBE_BW, cc.mode());
        assertTrue(cc.cwndSegments() >= probeBwCwnd, "the window is restored");
        assertEquals(RTT_NS, cc.minRttNs());
    }

    /** PROBE_RTT's window as the controller's model gives it: half a BDP, at least the minimum, in whole segments. */
    private int halfBdpSegments() {
        double halfBdpBytes = 0.5 * cc.bottleneckBandwidthBytesPerSecond() * (cc.minRttNs() / 1e9);
        long bytes = Math.max((long) halfBdpBytes, (long) BbrController.MIN_CWND_SEGMENTS * MSS);
        return (int) ((bytes + MSS - 1) / MSS);
    }

    @ParameterizedTest(name = "loss {0}, seed {1}")
    @CsvSource({"0.01, 1", "0.01, 2", "0.05, 1", "0.05, 2"})
    void shouldKeepPacingNearTheBottleneckWhenPacketsAreReportedLost(double lossRate, long seed) {
        Random random = new Random(seed);
        reachProbeBw();
        double pacedBytes = 0;
        long minPacing = Long.MAX_VALUE;
        long fromNs = nowNs;
        int lost = 0;
        for (int i = 0; i < 10_000; i++) { // 10 s
            long rate = (long) (RATE * (0.97 + 0.06 * random.nextDouble()));
            boolean loss = random.nextDouble() < lossRate;
            long beforeNs = nowNs;
            long pacing = cc.pacingRateBytesPerSecond();
            ack(rate, RTT_NS, cc.cwndSegments(), false, loss ? 1 : 0);
            pacedBytes += pacing * ((nowNs - beforeNs) / 1e9);
            if (loss) {
                lost++;
                cc.onFastRetransmit(nowNs, 1, cc.cwndSegments());
                if (random.nextInt(10) == 0) {
                    cc.onRetransmitTimeout(nowNs, cc.cwndSegments());
                }
            }
            minPacing = Math.min(minPacing, cc.pacingRateBytesPerSecond());
        }
        String context = "loss " + lossRate + " seed " + seed + " (" + lost + " lost)";
        double meanPacing = pacedBytes / ((nowNs - fromNs) / 1e9);
        assertEquals(RATE, meanPacing, RATE * 0.10, context);
        assertEquals(RATE, cc.bottleneckBandwidthBytesPerSecond(), RATE * 0.10, context);
        assertTrue(minPacing >= 0.75 * RATE * 0.9, context + ": pacing fell to " + minPacing);
        assertTrue(cc.cwndSegments() >= 2 * BDP_SEGMENTS * 0.9, context + ": cwnd " + cc.cwndSegments());
    }

    @Test
    void shouldHoldTheWindowAtFourSegmentsAfterABlackoutAndRestoreItWhenAcksReturn() {
        reachProbeBw();
        int before = cc.cwndSegments();
        long pacing = cc.pacingRateBytesPerSecond();
        cc.onRetransmitTimeout(nowNs, before);
        assertEquals(before, cc.cwndSegments(), "one timeout on a busy path is just loss");
        cc.onRetransmitTimeout(nowNs + 300 * MS, before);
        assertEquals(BbrController.MIN_CWND_SEGMENTS, cc.cwndSegments(), "no ACK between two timeouts");
        assertEquals(pacing, cc.pacingRateBytesPerSecond(), "the rate model is kept");
        nowNs += 600 * MS;
        ack(RATE, RTT_NS, 2, false, 0);
        assertTrue(cc.cwndSegments() >= BbrController.MIN_CWND_SEGMENTS);
        round(RATE, 2);
        round(RATE, 2);
        assertEquals(before, cc.cwndSegments(), 2, "restored after one round of packet conservation");
    }

    @Test
    void shouldRestoreTheWindowAtOnceWhenTheCollapsingTimeoutProvesSpurious() {
        reachProbeBw();
        int before = cc.cwndSegments();
        cc.onRetransmitTimeout(nowNs, before);
        cc.onRetransmitTimeout(nowNs + 300 * MS, before); // 300 ms without an ACK: collapsed
        assertEquals(BbrController.MIN_CWND_SEGMENTS, cc.cwndSegments());
        nowNs += 310 * MS;
        cc.onSpuriousRetransmit(nowNs, false);
        assertEquals(BbrController.MIN_CWND_SEGMENTS, cc.cwndSegments(), "a spurious fast resend undoes nothing");
        cc.onSpuriousRetransmit(nowNs, true); // the stalled ACK of the original copy arrived
        assertEquals(before, cc.cwndSegments(), "the window comes back without a round of conservation");
        ack(RATE, RTT_NS, before, false, 0);
        assertEquals(before, cc.cwndSegments(), 2);
    }

    @Test
    void shouldNotChangeTheWindowOnFastRetransmitOrOnTimeoutsBetweenAcks() {
        reachProbeBw();
        int before = cc.cwndSegments();
        for (int i = 0; i < 20; i++) {
            cc.onFastRetransmit(nowNs, 3, before);
            cc.onRetransmitTimeout(nowNs, before);
            ack(RATE, RTT_NS, before, false, 3);
        }
        assertEquals(before, cc.cwndSegments(), 2);
        assertFalse(cc.mode() == BbrController.Mode.STARTUP);
    }
}
