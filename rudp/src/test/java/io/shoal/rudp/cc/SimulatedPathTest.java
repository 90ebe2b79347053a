package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CUBIC and BBR through {@link PathSimulator}: a 20 Mbit/s bottleneck (2.5 MB/s), 40 ms base RTT, a drop-tail queue
 * of one BDP, random loss before the bottleneck. Twenty virtual seconds, measured after a five-second warm-up.
 */
class SimulatedPathTest {
    private static final int MSS = 1376;
    private static final long RATE = 2_500_000;
    private static final long RTT_NS = 40_000_000L;
    private static final long BDP_BYTES = RATE * RTT_NS / 1_000_000_000L;
    private static final long DURATION_NS = 20_000_000_000L;
    private static final long WARMUP_NS = 5_000_000_000L;
    private static final CcParams PARAMS = new CcParams(MSS, 2, 200_000_000L, 4096);

    private static PathSimulator.Result run(CongestionController cc, double loss, long seed) {
        PathSimulator.Result result = new PathSimulator(MSS, RATE, RTT_NS, BDP_BYTES, loss, seed)
                .run(cc, DURATION_NS, WARMUP_NS);
        System.out.printf("%-5s loss %.2f seed %d: %s%n", cc.name(), loss, seed, result);
        return result;
    }

    @ParameterizedTest(name = "loss {0}, seed {1}")
    @CsvSource({"0, 1", "0.01, 1", "0.01, 2", "0.05, 1", "0.05, 2"})
    void shouldKeepTheBottleneckBusyWithBbrWhenTheLinkIsLossy(double loss, long seed) {
        PathSimulator.Result result = run(new BbrController(PARAMS, seed), loss, seed);
        String context = "loss " + loss + " seed " + seed + ": " + result;
        assertTrue(result.goodputBytesPerSecond() >= 0.85 * RATE, context);
        assertTrue(Math.abs(result.meanPacingBytesPerSecond() - RATE) <= 0.10 * RATE, context);
        assertTrue(result.meanRttMs() <= 2.0 * RTT_NS / 1e6, context);
    }

    @Test
    void shouldFillACleanLinkWithCubic() {
        PathSimulator.Result result = run(new CubicController(PARAMS), 0, 1);
        assertTrue(result.goodputBytesPerSecond() >= 0.85 * RATE, result.toString());
    }

    @Test
    void shouldBackOffWithCubicButNotWithBbrWhenLossIsRandom() {
        PathSimulator.Result cubic = run(new CubicController(PARAMS), 0.05, 1);
        PathSimulator.Result bbr = run(new BbrController(PARAMS, 1), 0.05, 1);
        assertTrue(bbr.goodputBytesPerSecond() > 2 * cubic.goodputBytesPerSecond(), cubic + " vs " + bbr);
    }
}
