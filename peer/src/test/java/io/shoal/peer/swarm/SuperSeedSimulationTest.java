package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 16 super-seeding on virtual time: the seed's upload ratio in a 1 + 8 swarm on fast (loopback-like) links and on
 * capacity-limited links, and a lone downloader's time, each against the same swarm seeding plainly. Seeds come from
 * {@code -Dshoal.seed=N} or are fixed; failure messages carry them.
 */
@Timeout(300)
class SuperSeedSimulationTest {
    private static final long MIB = 1024 * 1024;
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final int RUNS = 3;

    /** Loopback-like: every link carries hundreds of MiB/s and the path delay is tens of microseconds. */
    private static List<SwarmSimulation.NodeSpec> fastSwarm(int leechers, SplittableRandom random) {
        List<SwarmSimulation.NodeSpec> specs = new ArrayList<>();
        specs.add(new SwarmSimulation.NodeSpec(true, 400 * MIB, 400 * MIB, 50 * US, 0, 0));
        for (int i = 0; i < leechers; i++) {
            long up = (300 + random.nextInt(200)) * MIB;
            specs.add(new SwarmSimulation.NodeSpec(false, up, up, (30 + random.nextInt(40)) * US, 0, 0));
        }
        return specs;
    }

    /** The capacity-limited swarm of {@link SwarmSimulationTest}. */
    private static List<SwarmSimulation.NodeSpec> cappedSwarm(int leechers, SplittableRandom random) {
        List<SwarmSimulation.NodeSpec> specs = new ArrayList<>();
        specs.add(new SwarmSimulation.NodeSpec(true, 4 * MIB, 16 * MIB, 10 * MS, 0, 0));
        for (int i = 0; i < leechers; i++) {
            long up = (2 + random.nextInt(4)) * MIB;
            long oneWay = (5 + random.nextInt(40)) * MS;
            specs.add(new SwarmSimulation.NodeSpec(false, up, 4 * up, oneWay, 0, 0));
        }
        return specs;
    }

    private interface Specs {
        List<SwarmSimulation.NodeSpec> make(int leechers, SplittableRandom random);
    }

    /** One run; returns {seeder ratio, last finish in seconds}. */
    private static double[] run(Specs specs, int leechers, long fileBytes, long seed, boolean superSeed) {
        SwarmSimulation sim = new SwarmSimulation(BlockLayout.of(fileBytes, 256 * 1024),
            specs.make(leechers, new SplittableRandom(seed)), seed, superSeed);
        boolean done = sim.run(3_600 * SwarmSimulation.SECOND);
        String report = SwarmSimulationTest.report(sim, fileBytes);
        assertTrue(done, "swarm did not finish (super-seeding " + superSeed + "); " + report);
        SwarmSimulationTest.assertComplete(sim, report);
        return new double[] {(double) sim.nodes.get(0).uploadedBytes / fileBytes, sim.clock.nowNs() / 1e9};
    }

    /** Medians over {@link #RUNS} seeds: {ratio, seconds}. */
    private static double[] median(Specs specs, int leechers, long fileBytes, boolean superSeed, String label) {
        double[] ratios = new double[RUNS];
        double[] seconds = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            double[] r = run(specs, leechers, fileBytes, SEED + 100 + i, superSeed);
            ratios[i] = r[0];
            seconds[i] = r[1];
        }
        System.out.printf(Locale.ROOT, "%s, super-seeding %s: seeder ratios %s, finish s %s (seeds from %d)%n",
            label, superSeed, Arrays.toString(ratios), Arrays.toString(seconds), SEED + 100);
        Arrays.sort(ratios);
        Arrays.sort(seconds);
        return new double[] {ratios[RUNS / 2], seconds[RUNS / 2]};
    }

    @Test
    void shouldUploadAtMostOneAndAHalfCopiesWhenEightLeechersHaveFastLinks() {
        double[] plain = median(SuperSeedSimulationTest::fastSwarm, 8, 256 * MIB, false, "fast 1 + 8");
        double[] superSeed = median(SuperSeedSimulationTest::fastSwarm, 8, 256 * MIB, true, "fast 1 + 8");
        assertTrue(superSeed[0] <= 1.5, "median seeder ratio " + superSeed[0] + " (plain " + plain[0] + ")");
    }

    @Test
    void shouldUploadAtMostOneAndAHalfCopiesWhenLinksAreCapacityLimited() {
        double[] superSeed = median(SuperSeedSimulationTest::cappedSwarm, 8, 256 * MIB, true, "capped 1 + 8");
        assertTrue(superSeed[0] <= 1.5, "median seeder ratio " + superSeed[0]);
    }

    @Test
    void shouldKeepLoneDownloaderSpeedWhenSuperSeeding() {
        double[] plain = median(SuperSeedSimulationTest::fastSwarm, 1, 128 * MIB, false, "fast 1 -> 1");
        double[] superSeed = median(SuperSeedSimulationTest::fastSwarm, 1, 128 * MIB, true, "fast 1 -> 1");
        assertTrue(superSeed[1] <= plain[1] * 1.05 + 0.05,
            "lone downloader took " + superSeed[1] + " s super-seeded vs " + plain[1] + " s");
    }
}
