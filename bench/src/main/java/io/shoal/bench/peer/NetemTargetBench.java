package io.shoal.bench.peer;

import io.shoal.netem.suite.LinkProfile;
import io.shoal.netem.suite.PeerTransferWorkload;
import io.shoal.netem.suite.ScenarioResult;
import io.shoal.netem.suite.ScenarioRunner;
import io.shoal.netem.suite.SecureBulkWorkload;
import io.shoal.netem.suite.SuiteSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 6's third target: the suite's {@code peer-transfer} workload (two shoal nodes, secure rudp, the downloader
 * dialling a UDP impairment proxy in front of the seeder) under {@link LinkProfile#WAN_50M}, with a bigger file
 * than the suite's; the full suite's time limit. Prints goodput per run, the median and its share of the 50 Mbit/s
 * link (target: at least 90%). With {@code --warmup} (the default) one untimed transfer of that size (at most the
 * netem size) and one secure-bulk stream run first through the same profile, so the timed runs meet compiled code.
 */
final class NetemTargetBench {
    private static final double LINK_MBPS = 50;
    private static final double TARGET_SHARE = 0.90;

    private final PeerBenchOptions options;

    NetemTargetBench(PeerBenchOptions options) {
        this.options = options;
    }

    /** Runs {@code --runs} times; returns false if a run failed. */
    boolean run() {
        LinkProfile profile = LinkProfile.WAN_50M;
        System.out.printf(Locale.ROOT, "%npeer through netem: %s, %d MiB over secure rudp (cc %s), %d run(s)%n",
            profile.label(), options.netemMib(), options.ccName(), options.runs());
        PeerTransferWorkload workload = new PeerTransferWorkload((long) options.netemMib() << 20, options.cc());
        if (options.warmupMib() > 0) {
            // The JIT: the first transfer in a fresh JVM reached its first byte 0.2-1.2 s later and ran 5-20% slower.
            int mib = Math.min(options.warmupMib(), options.netemMib());
            ScenarioRunner warm = new ScenarioRunner(SuiteSize.FULL, options.seed());
            record(warm.run(profile, new PeerTransferWorkload((long) mib << 20, options.cc())), 0, new ArrayList<>());
            record(warm.run(profile, new SecureBulkWorkload()), 0, new ArrayList<>());
        }
        List<Double> goodput = new ArrayList<>();
        List<Double> stream = new ArrayList<>();
        boolean ok = true;
        for (int run = 1; run <= options.runs(); run++) {
            ScenarioRunner runner = new ScenarioRunner(SuiteSize.FULL, options.seed() + run);
            ok &= record(runner.run(profile, workload), run, goodput);
            record(runner.run(profile, new SecureBulkWorkload()), run, stream);
        }
        double median = SideTimes.median(goodput);
        if (!stream.isEmpty()) {
            System.out.printf(Locale.ROOT, "  reference: the suite's secure-bulk stream (one rudp connection, "
                + "16 MiB, no peer protocol) on the same profile, median %.1f Mbit/s%n", SideTimes.median(stream));
        }
        if (!goodput.isEmpty()) {
            System.out.printf(Locale.ROOT, "  median goodput %.1f Mbit/s = %.1f%% of the %.0f Mbit/s link (target "
                + ">= %.0f%%): %s%n", median, 100 * median / LINK_MBPS, LINK_MBPS, 100 * TARGET_SHARE,
                median >= TARGET_SHARE * LINK_MBPS ? "PASS" : "MISS");
        }
        return ok;
    }

    /** Prints one result; {@code run} 0 is the untimed warm-up. */
    private static boolean record(ScenarioResult r, int run, List<Double> goodput) {
        if (r.status() != ScenarioResult.Status.PASSED) {
            System.out.println("  run " + run + " " + r.workload() + " " + r.status() + ": " + r.reason());
            return false;
        }
        double mbps = r.measurement().goodputMbps();
        goodput.add(mbps);
        System.out.printf(Locale.ROOT, "  %s %s: %.1f Mbit/s in %.2f s, process CPU %.1f s (%s)%n",
            run == 0 ? "warm-up (not counted)" : "run " + run,
            r.workload(), mbps, r.measurement().elapsedNs() / 1e9, r.cpuSeconds(), r.measurement().detail());
        return true;
    }
}
