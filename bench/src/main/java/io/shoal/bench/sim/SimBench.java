package io.shoal.bench.sim;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.sim.SimSeeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The simulator benchmarks (bench {@code sim}): bulk goodput and RTT through a 50 Mbit/s bottleneck at 1 % and 5 %
 * loss for each congestion controller, plus 100 ms RTT with 20 ms jitter each way and no loss (reordering: every
 * resend there is spurious), and interactive message latency at 5 % loss, all in virtual time over several seeds,
 * reporting medians against the targets with PASS/MISS. A benchmark, not a test: it never fails.
 *
 * <p>Usage: {@code sim [--seeds N] [--duration SECONDS] [--seed BASE] [--only TEXT] [--json]}; {@code --only}
 * runs just the bulk scenarios whose name contains TEXT and skips the interactive run.
 */
public final class SimBench {
    private static final long MBIT = 1_000_000L;
    private static final List<BulkRun.Profile> PROFILES = List.of(
        new BulkRun.Profile("bulk 50M 40ms 1%", 50 * MBIT, 20, 100, 0.01, 47.0),
        new BulkRun.Profile("bulk 50M 50ms 5%", 50 * MBIT, 25, 100, 0.05, 43.0),
        new BulkRun.Profile("bulk 50M 100ms j20", 50 * MBIT, 50, 100, 0.0, 45.0, 20));
    private static final CongestionControl[] CONTROLLERS = {
        CongestionControl.BBR, CongestionControl.KCP, CongestionControl.NONE, CongestionControl.CUBIC};
    private static final double RTT_TOLERANCE = 0.25;
    private static final double INTERACTIVE_P99_TARGET_MS = 100.0;

    private SimBench() {
    }

    public static void main(final String[] args) {
        int seeds = 3;
        long durationS = 30;
        long baseSeed = 0x5EEDL;
        boolean json = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds":
                    seeds = Integer.parseInt(args[++i]);
                    break;
                case "--duration":
                    durationS = Long.parseLong(args[++i]);
                    break;
                case "--seed":
                    baseSeed = SimSeeds.parse(args[++i]);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                case "-h":
                case "--help":
                    System.out.println(
                        "usage: sim [--seeds N] [--duration SECONDS] [--seed BASE] [--only TEXT] [--json]");
                    return;
                default:
                    System.err.println("sim: unknown argument '" + args[i] + "' (try --help)");
                    System.exit(2);
                    return;
            }
        }
        final long durationNs = durationS * 1_000_000_000L;
        final List<String> jsonRows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "simulator benchmarks: %d seed(s) from %s, %d s virtual each, medians%n%n",
            seeds, SimSeeds.format(baseSeed), durationS);
        System.out.printf(Locale.ROOT, "%-20s %-6s %14s %12s %8s %8s %8s %10s %10s %8s  %s%n", "scenario", "cc",
            "goodput Mbit/s", "median RTT", "rexmit", "fast-rx", "spurious", "queue drop", "pace/cwnd", "wall s",
            "verdict");
        for (final BulkRun.Profile p : PROFILES) {
            if (only != null && !p.name().contains(only)) {
                continue;
            }
            final double baseRttMs = 2.0 * p.oneWayDelayMs();
            for (final CongestionControl cc : CONTROLLERS) {
                if (!available(cc)) {
                    System.out.printf(Locale.ROOT, "%-20s %-6s %14s%n", p.name(), cc.cliName(), "n/a (not built yet)");
                    jsonRows.add(String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"cc\":\"%s\",\"available\":false}",
                        p.name(), cc.cliName()));
                    continue;
                }
                final BulkRun.Result[] r = new BulkRun.Result[seeds];
                for (int s = 0; s < seeds; s++) {
                    r[s] = BulkRun.run(p, cc, SimSeeds.mix(baseSeed, s), durationNs);
                }
                final double goodput = median(r, x -> x.goodputMbps());
                final double rtt = median(r, x -> x.medianRttMs());
                final boolean goodputOk = goodput >= p.goodputTargetMbps();
                final boolean rttOk = Math.abs(rtt - baseRttMs) <= RTT_TOLERANCE * baseRttMs;
                final String verdict = cc == CongestionControl.BBR
                    ? "goodput>=" + fmt(p.goodputTargetMbps()) + " " + (goodputOk ? "PASS" : "MISS") + ", rtt<=+25% "
                        + (rttOk ? "PASS" : "MISS")
                    : "(comparison)";
                System.out.printf(Locale.ROOT, "%-20s %-6s %14.2f %9.1f ms %8.0f %8.0f %8.0f %10.0f %4.0f%%/%3.0f%% %8.1f"
                        + "  %s%n", p.name(), cc.cliName(), goodput, rtt, median(r, x -> x.retransmits()),
                    median(r, x -> x.fastRetransmits()), median(r, x -> x.spuriousSegments()),
                    median(r, x -> x.queueDrops()), 100 * median(r, x -> x.pacingLimitedShare()),
                    100 * median(r, x -> x.cwndLimitedShare()), sum(r, x -> x.wallSeconds()), verdict);
                jsonRows.add(String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"cc\":\"%s\",\"available\":true,"
                        + "\"goodputMbps\":%.3f,\"medianRttMs\":%.1f,\"baseRttMs\":%.1f,\"goodputTargetMbps\":%.1f,"
                        + "\"goodputPass\":%b,\"rttPass\":%b,\"spuriousSegments\":%.0f,\"pacingLimitedShare\":%.3f,"
                        + "\"cwndLimitedShare\":%.3f,\"seeds\":%d}", p.name(), cc.cliName(), goodput, rtt,
                    baseRttMs, p.goodputTargetMbps(), goodputOk, rttOk, median(r, x -> x.spuriousSegments()),
                    median(r, x -> x.pacingLimitedShare()), median(r, x -> x.cwndLimitedShare()), seeds));
            }
        }
        if (only != null) {
            printJson(json, jsonRows);
            return;
        }
        final InteractiveRun.Result[] ir = new InteractiveRun.Result[seeds];
        for (int s = 0; s < seeds; s++) {
            ir[s] = InteractiveRun.run(SimSeeds.mix(baseSeed, 100 + s), durationNs, 200, 20_000_000L, 20, 0.05);
        }
        final double p50 = median(ir, x -> x.p50Ms());
        final double p99 = median(ir, x -> x.p99Ms());
        final double max = median(ir, x -> x.maxMs());
        final boolean p99Ok = p99 <= INTERACTIVE_P99_TARGET_MS;
        System.out.printf(Locale.ROOT, "%ninteractive: 200 B every 20 ms, 40 ms RTT, 5%% loss, turbo (median of %d seeds)"
            + "%n  p50 %.1f ms, p99 %.1f ms, max %.1f ms, undelivered %.0f, wall %.1f s  p99<=%.0f ms %s%n", seeds, p50,
            p99, max, median(ir, x -> x.lost()), sum(ir, x -> x.wallSeconds()), INTERACTIVE_P99_TARGET_MS,
            p99Ok ? "PASS" : "MISS");
        jsonRows.add(String.format(Locale.ROOT, "{\"scenario\":\"interactive 200B/20ms 40ms 5%%\",\"cc\":\"%s\","
                + "\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"maxMs\":%.2f,\"p99TargetMs\":%.0f,\"p99Pass\":%b,\"seeds\":%d}",
            InteractiveRun.config().congestionControl().cliName(), p50, p99, max, INTERACTIVE_P99_TARGET_MS, p99Ok,
            seeds));
        printJson(json, jsonRows);
    }

    private static void printJson(final boolean json, final List<String> jsonRows) {
        if (json) {
            System.out.println();
            System.out.println("[" + String.join(",\n ", jsonRows) + "]");
        }
    }

    private static boolean available(final CongestionControl cc) {
        try {
            new KcpEngine(1, BulkRun.config(cc)).close();
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException notYet) {
            return false;
        }
    }

    /** A number extracted from one result. */
    @FunctionalInterface
    private interface Metric<T> {
        double of(T result);
    }

    private static <T> double median(final T[] results, final Metric<T> metric) {
        final double[] v = new double[results.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = metric.of(results[i]);
        }
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static <T> double sum(final T[] results, final Metric<T> metric) {
        double total = 0;
        for (final T r : results) {
            total += metric.of(r);
        }
        return total;
    }

    private static String fmt(final double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
