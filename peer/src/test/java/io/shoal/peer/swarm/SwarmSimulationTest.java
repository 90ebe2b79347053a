package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The swarm's decisions end to end on virtual time: one seeder and N leechers with different links, the real picker,
 * pipeline, choker and limiter deciding. The seed comes from {@code -Dshoal.seed=N} or is fixed; every failure message
 * carries it so a run can be repeated exactly.
 */
@Timeout(120)
class SwarmSimulationTest {
    private static final long MIB = 1024 * 1024;
    private static final long MS = 1_000_000L;
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);

    private static List<SwarmSimulation.NodeSpec> swarm(int leechers, SplittableRandom random) {
        List<SwarmSimulation.NodeSpec> specs = new ArrayList<>();
        specs.add(new SwarmSimulation.NodeSpec(true, 4 * MIB, 16 * MIB, 10 * MS, 0, 0));
        for (int i = 0; i < leechers; i++) {
            long up = (2 + random.nextInt(4)) * MIB;
            long oneWay = (5 + random.nextInt(40)) * MS;
            specs.add(new SwarmSimulation.NodeSpec(false, up, 4 * up, oneWay, 0, 0));
        }
        return specs;
    }

    static void assertComplete(SwarmSimulation sim, String context) {
        for (SimNode node : sim.nodes) {
            if (node.spec.seed()) {
                continue;
            }
            assertTrue(node.finished(), "node " + node.id + " did not finish; " + context);
            assertEquals(sim.layout.pieceCount(), node.picker.haveCount(), context);
            for (int b = 0; b < sim.layout.blockSlots(); b++) {
                if (sim.layout.beginOf(b) < sim.layout.pieceLength(sim.layout.pieceOf(b))) {
                    assertEquals(SwarmSimulation.token(b), node.tokens[b],
                            "node " + node.id + " block " + b + " wrong; " + context);
                }
            }
        }
    }

    static String report(SwarmSimulation sim, long fileBytes) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "seed %d: seeder upload %.2fx file size",
                sim.seed, (double) sim.nodes.get(0).uploadedBytes / fileBytes));
        for (SimNode node : sim.nodes) {
            double busy = node.uploadedBytes / (node.spec.upBytesPerSecond() * (sim.clock.nowNs() / 1e9));
            s.append(String.format(Locale.ROOT, "%n  node %d: up %.2fx (link %.0f%% busy), down %.2fx,"
                            + " finished at %.1f s, %d bad pieces", node.id, (double) node.uploadedBytes / fileBytes,
                    100 * busy, (double) node.downloadedBytes / fileBytes, node.finishedNs / 1e9, node.failedPieces));
        }
        return s.append(String.format(Locale.ROOT, "%n  %d events", sim.clock.events())).toString();
    }

    @Test
    void shouldFinishEveryLeecherWithSeederUploadingLittleMoreThanOneCopy() {
        long fileBytes = 256 * MIB;
        SplittableRandom random = new SplittableRandom(SEED);
        SwarmSimulation sim = new SwarmSimulation(BlockLayout.of(fileBytes, 256 * 1024), swarm(8, random), SEED);
        boolean done = sim.run(3_600 * SwarmSimulation.SECOND);
        String report = report(sim, fileBytes);
        System.out.println("1 seeder + 8 leechers, 256 MiB: " + report);
        assertTrue(done, "swarm did not finish in an hour of virtual time; " + report);
        assertComplete(sim, report);
        double seederRatio = (double) sim.nodes.get(0).uploadedBytes / fileBytes;
        assertTrue(seederRatio <= 3.0, "seeder uploaded " + seederRatio + "x: the swarm is not trading; " + report);
    }

    @Test
    void shouldBanCorruptPeerAndStillCompleteWhenOneSeedLies() {
        long fileBytes = 24 * MIB;
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<SwarmSimulation.NodeSpec> specs = swarm(5, random);
        specs.add(new SwarmSimulation.NodeSpec(true, 8 * MIB, 8 * MIB, 5 * MS, 0.3, 0));
        int liar = specs.size() - 1;
        SwarmSimulation sim = new SwarmSimulation(BlockLayout.of(fileBytes, 128 * 1024), specs, SEED + 1);
        boolean done = sim.run(3_600 * SwarmSimulation.SECOND);
        String report = report(sim, fileBytes);
        System.out.println("1 seeder + 5 leechers + 1 liar, 24 MiB: " + report);
        assertTrue(done, "swarm did not finish; " + report);
        assertComplete(sim, report);
        int sawBadPieces = 0;
        for (SimNode node : sim.nodes) {
            for (SimNode other : sim.nodes) {
                if (other.id != liar) {
                    assertFalse(node.badPeers.isBanned(other.address),
                            "honest node " + other.id + " banned by " + node.id + "; " + report);
                }
            }
            if (node.failedPieces > 0) {
                sawBadPieces++;
                assertTrue(node.badPeers.isBanned(sim.nodes.get(liar).address),
                        "node " + node.id + " saw bad pieces but did not ban the liar; " + report);
            }
        }
        assertTrue(sawBadPieces > 0, "the liar never got a corrupt block accepted; " + report);
    }

    @Test
    void shouldHoldUploadLimitWhenLeecherIsRateLimited() {
        long fileBytes = 32 * MIB;
        SplittableRandom random = new SplittableRandom(SEED + 2);
        List<SwarmSimulation.NodeSpec> specs = swarm(4, random);
        long limit = MIB / 2;
        specs.set(1, new SwarmSimulation.NodeSpec(false, 8 * MIB, 32 * MIB, 10 * MS, 0, limit));
        SwarmSimulation sim = new SwarmSimulation(BlockLayout.of(fileBytes, 256 * 1024), specs, SEED + 2);
        boolean done = sim.run(3_600 * SwarmSimulation.SECOND);
        String report = report(sim, fileBytes);
        assertTrue(done, report);
        assertComplete(sim, report);
        SimNode limited = sim.nodes.get(1);
        double seconds = sim.clock.nowNs() / 1e9;
        assertTrue(limited.uploadedBytes <= limit * seconds + 4 * BlockLayout.BLOCK_BYTES,
                "uploaded " + limited.uploadedBytes + " in " + seconds + " s, limit " + limit + " B/s; " + report);
    }

    @Test
    void shouldDownloadInOrderWhenLeecherIsSequential() {
        long fileBytes = 32 * MIB;
        SplittableRandom random = new SplittableRandom(SEED + 3);
        List<SwarmSimulation.NodeSpec> specs = swarm(4, random);
        SwarmSimulation.NodeSpec plain = specs.get(1);
        specs.set(1, new SwarmSimulation.NodeSpec(false, plain.upBytesPerSecond(), plain.downBytesPerSecond(),
                plain.oneWayNs(), 0, 0, PickerConfig.sequential(32)));
        SwarmSimulation sim = new SwarmSimulation(BlockLayout.of(fileBytes, 256 * 1024), specs, SEED + 3);
        boolean done = sim.run(3_600 * SwarmSimulation.SECOND);
        String report = report(sim, fileBytes);
        assertTrue(done, report);
        assertComplete(sim, report);
        int quarter = sim.layout.pieceCount() / 4;
        int streaming = sim.nodes.get(1).earlyFromFront;
        int rarest = sim.nodes.get(2).earlyFromFront;
        System.out.printf(Locale.ROOT, "sequential leecher: %d of its first %d pieces are the file's first %d"
                + " (rarest-first leecher: %d)%n", streaming, quarter, quarter, rarest);
        // Picked uniformly about a quarter of them would be; in order, nearly all.
        assertTrue(streaming >= quarter / 2, "sequential leecher: only " + streaming + " of " + quarter
                + " early pieces from the front; " + report);
    }
}
