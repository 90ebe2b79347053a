package io.shoal.bench.peer;

import io.shoal.bench.DebianTool;
import io.shoal.netem.suite.PeerTransfer;
import io.shoal.netem.suite.SeededFiles;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.peer.node.PeerTransport;
import io.shoal.tracker.server.TrackerServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * One seeder to one downloader on loopback, three sides interleaved run by run: shoal over secure rudp (the default
 * profile), shoal over TCP, and aria2c to aria2c over TCP. shoal's two nodes run in this JVM, each with its own event
 * loop and hashing pool, after an untimed warm-up transfer per transport (a long-running peer is compiled; a cold JVM
 * interprets its first hundred megabytes). Every run's file is compared with the source by SHA-256 (not timed) and
 * removed. Prints seconds and MB/s (10^6 bytes) per side, median, min and max, and the time ratios.
 */
final class PairBench {
    private static final String RUDP = "rudp";
    private static final String TCP = "tcp";
    /** The peer over rudp without crypto (raw profile): what the peer and KCP cost without the AEAD. */
    private static final String RAW = "raw";
    private static final String ARIA2C = "aria2c";

    private final PeerBenchOptions options;
    private final Path scratch;

    PairBench(PeerBenchOptions options, Path scratch) {
        this.options = options;
        this.scratch = scratch;
    }

    /** Runs every side; returns false if a run failed. */
    boolean run() throws Exception {
        long bytes = (long) options.sizeMib() << 20;
        Path seedDir = scratch.resolve("pair-seed");
        System.out.printf(Locale.ROOT, "peer 1 -> 1: %d MiB on loopback, %d timed run(s) per side, interleaved%n",
            options.sizeMib(), options.runs());
        byte[] sha = SeededFiles.write(seedDir.resolve("payload.bin"), bytes, options.seed());
        try (TrackerServer tracker = LocalTracker.start()) {
            String announce = LocalTracker.announceUrl(tracker);
            Metainfo meta = PeerTransfer.torrent(seedDir.resolve("payload.bin"), List.of(announce));
            Path torrentFile = scratch.resolve("pair.torrent");
            MetainfoWriter.write(meta, torrentFile);
            List<SideTimes> sides = sides();
            warmUp(sides);
            Aria2Pair aria2 = new Aria2Pair(tracker, torrentFile, scratch);
            long timeoutMs = Math.max(120_000, bytes / 2_000); // at least 2 MB/s
            for (int run = 1; run <= options.runs(); run++) {
                for (SideTimes side : sides) {
                    if (side.skipped != null) {
                        continue;
                    }
                    Path down = scratch.resolve("pair-down-" + side.name);
                    try (LoopCpuSampler loops = new LoopCpuSampler()) {
                        long[] cpu0 = {processCpuNs()};
                        double seconds = side.name.equals(ARIA2C) ? aria2.runOnce(seedDir, down, run, timeoutMs)
                            : shoalOnce(side.name, meta, seedDir, down, timeoutMs, options, cpu0);
                        double cpuMsPerMb = (processCpuNs() - cpu0[0]) / 1e6 / (bytes / 1e6);
                        double[] loopSeconds = loops.busiestTwoSeconds();
                        verify(sha, down.resolve("payload.bin"));
                        side.seconds.add(seconds);
                        System.out.printf(Locale.ROOT, "  run %d %-8s %7.2f s %8.1f MB/s%s%n", run, side.name, seconds,
                            bytes / 1e6 / seconds, side.name.equals(ARIA2C) ? ""
                                : String.format(Locale.ROOT, "   this JVM's CPU %.1f ms per MB, event loops busy "
                                + "%.0f%% and %.0f%% of the time (load average %.1f)", cpuMsPerMb,
                                100 * loopSeconds[0] / seconds, 100 * loopSeconds[1] / seconds, loadAverage()));
                    } catch (Exception e) {
                        side.failures.add("run " + run + ": " + e);
                        System.out.println("  run " + run + " " + side.name + " FAILED: " + e);
                    } finally {
                        SeededFiles.deleteTree(down);
                    }
                }
            }
            print(sides, bytes);
            return sides.stream().allMatch(s -> s.failures.isEmpty());
        }
    }

    private List<SideTimes> sides() {
        SideTimes rudp = new SideTimes(RUDP, "shoal -> shoal, secure rudp (Noise + the default AEAD), cc "
            + options.ccName());
        SideTimes tcp = new SideTimes(TCP, "shoal -> shoal, TCP");
        SideTimes raw = new SideTimes(RAW, "shoal -> shoal, raw rudp (no handshake, no crypto; benchmark only), cc "
            + options.ccName());
        SideTimes aria = new SideTimes(ARIA2C, Aria2Pair.describe());
        aria.skipped = options.sides().contains(ARIA2C) ? DebianTool.ensure("aria2c", "aria2", scratch) : "not asked";
        rudp.skipped = options.sides().contains(RUDP) ? null : "not asked";
        tcp.skipped = options.sides().contains(TCP) ? null : "not asked";
        raw.skipped = options.sides().contains(RAW) ? null : "not asked";
        return List.of(rudp, tcp, aria, raw);
    }

    /** One untimed transfer per shoal transport that runs, of its own file. */
    private void warmUp(List<SideTimes> sides) throws Exception {
        if (options.warmupMib() == 0) {
            return;
        }
        Path dir = scratch.resolve("warmup-seed");
        SeededFiles.write(dir.resolve("warmup.bin"), (long) options.warmupMib() << 20, options.seed() + 1);
        Metainfo meta = PeerTransfer.torrent(dir.resolve("warmup.bin"), List.of());
        for (SideTimes side : sides) {
            if (side.skipped == null && !side.name.equals(ARIA2C)) {
                double s = shoalOnce(side.name, meta, dir, scratch.resolve("warmup-down"), 300_000, options,
                    new long[1]);
                System.out.printf(Locale.ROOT, "  warm-up %-8s %d MiB in %.2f s (not counted)%n", side.name,
                    options.warmupMib(), s);
                SeededFiles.deleteTree(scratch.resolve("warmup-down"));
            }
        }
        SeededFiles.deleteTree(dir);
    }

    /** @param cpuAtStart set to this JVM's CPU time once the seeder's start-up check is done (not part of the run) */
    private static double shoalOnce(String side, Metainfo meta, Path seedDir, Path down, long timeoutMs,
                                    PeerBenchOptions options, long[] cpuAtStart) throws Exception {
        PeerTransfer.Setup setup = PeerTransfer.Setup.of(EnumSet.of(side.equals(TCP) ? PeerTransport.TCP
            : PeerTransport.RUDP)).withCongestionControl(options.cc());
        if (side.equals(RAW)) {
            setup = setup.withRawProfile();
        }
        PeerTransfer.Result r = PeerTransfer.run(setup, meta, seedDir, down, seeder -> {
            cpuAtStart[0] = processCpuNs(); // the downloader starts next
            return seeder;
        }, () -> { }, timeoutMs);
        if (r.downloader().hashFailures() != 0) {
            throw new IOException(r.downloader().hashFailures() + " pieces failed their SHA-1");
        }
        return r.elapsedNs() / 1e9;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU time of this JVM (both shoal nodes, hashing, GC, JIT), ns. */
    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void verify(byte[] want, Path file) throws IOException {
        if (!Arrays.equals(want, SeededFiles.sha256(file))) {
            throw new IOException("SHA-256 of " + file + " differs from the source");
        }
    }

    private static void print(List<SideTimes> sides, long bytes) {
        System.out.println();
        System.out.println("| side | median s | MB/s | min s | max s | runs | configuration |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        for (SideTimes s : sides) {
            if (s.skipped != null || s.seconds.isEmpty()) {
                System.out.println("| " + s.name + " | - | - | - | - | 0 | skipped: "
                    + (s.skipped != null ? s.skipped : String.join("; ", s.failures)) + " |");
                continue;
            }
            double min = s.seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = s.seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.2f | %.2f | %d | %s |%n", s.name,
                s.medianSeconds(), bytes / 1e6 / s.medianSeconds(), min, max, s.seconds.size(), s.config);
        }
        double aria = sides.get(2).medianSeconds();
        for (SideTimes s : List.of(sides.get(0), sides.get(1), sides.get(3))) {
            if (!Double.isNaN(aria) && !Double.isNaN(s.medianSeconds())) {
                System.out.printf(Locale.ROOT, "shoal %s vs aria2c: time ratio %.2f (aria2c / shoal; above 1: shoal "
                    + "faster) -> %s%n", s.name, aria / s.medianSeconds(), aria / s.medianSeconds() > 1 ? "FASTER"
                    : "SLOWER");
            }
        }
    }
}
