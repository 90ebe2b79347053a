package io.shoal.bench.peer;

import io.shoal.netem.suite.SeededFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/run peer}: issue 6's targets as benchmarks. One seeder to one downloader (shoal over rudp, shoal over
 * TCP, aria2c over TCP), one seeder and N downloaders, and with {@code --netem} the transfer through the 50 Mbit/s,
 * 40 ms, 1% loss profile. Files live in a scratch folder under the system temporary folder, removed at the end
 * (aria2c's logs are kept there until then). Exit code 0 when every run completed with the right data, 1 when one
 * failed or the benchmark could not run, 2 for bad options.
 */
public final class PeerBenchMain {
    private PeerBenchMain() {
    }

    public static int run(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(PeerBenchOptions.USAGE);
            return 0;
        }
        PeerBenchOptions options;
        try {
            options = PeerBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench peer: " + e.getMessage() + "\n" + PeerBenchOptions.USAGE);
            return 2;
        }
        Path scratch = Files.createTempDirectory("shoal-bench-peer-");
        Thread cleanup = new Thread(() -> delete(scratch), "bench-peer-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        System.out.println("bench peer: scratch folder " + scratch + " (removed at the end)");
        boolean ok = true;
        try {
            if (options.runs("pair")) {
                ok &= new PairBench(options, scratch).run();
            }
            if (options.runs("swarm")) {
                ok &= new SwarmBench(options, scratch).run();
            }
            if (options.runs("netem")) {
                ok &= new NetemTargetBench(options).run();
            }
        } catch (Exception e) {
            // Exit with a code rather than let main throw: a leaked non-daemon thread would keep the JVM up.
            System.err.println("bench peer: failed: " + e);
            e.printStackTrace();
            ok = false;
        } finally {
            delete(scratch);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        return ok ? 0 : 1;
    }

    private static void delete(Path scratch) {
        try {
            SeededFiles.deleteTree(scratch);
        } catch (IOException e) {
            System.err.println("bench peer: could not remove " + scratch + ": " + e.getMessage());
        }
    }
}
