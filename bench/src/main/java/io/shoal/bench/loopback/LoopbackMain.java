package io.shoal.bench.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.rudp.perf.SendLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bench/run loopback}: shoal perf against kcptun on 127.0.0.1, in the same run, interleaved (shoal, kcptun,
 * shoal, ...) so that machine noise hits both alike. Prints a table of medians in Mbit/s and the ratio
 * shoal/kcptun; with {@code --json}, one JSON object as the last line. Child processes' logs go to a temporary
 * folder named at the start. Exit code 1 when a run failed, 2 on bad options, else 0 (a side that cannot run here,
 * such as kcptun not installed, is reported as skipped).
 */
public final class LoopbackMain {
    private LoopbackMain() {
    }

    /** Runs the benchmark; returns the process exit code. */
    public static int run(String[] args) throws IOException, InterruptedException {
        LoopbackOptions options;
        try {
            options = LoopbackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            boolean help = args.length > 0 && ("-h".equals(args[0]) || "--help".equals(args[0]));
            if (help) {
                System.out.println(LoopbackOptions.USAGE);
                return 0;
            }
            System.err.println("loopback: " + e.getMessage() + "\n" + LoopbackOptions.USAGE);
            return 2;
        }
        Path logDir = Files.createTempDirectory("shoal-loopback-");
        System.err.println("loopback: logs in " + logDir);

        String shoalMissing = options.wantsShoal() ? ShoalPerfRunner.unavailableReason(options) : null;
        ShoalPerfRunner shoal = options.wantsShoal() && shoalMissing == null
            ? ShoalPerfRunner.create(options, "raw") : null;
        ShoalPerfRunner secure = options.wantsShoal() && shoalMissing == null
            ? ShoalPerfRunner.create(options, "secure") : null;
        SideResult shoalResult = new SideResult("shoal", shoal != null ? shoal.describe() : "raw profile");
        shoalResult.skipped = shoalMissing;
        SideResult secureResult = new SideResult("secure", secure != null ? secure.describe() : "secure profile");
        secureResult.skipped = shoalMissing;
        List<Double> secureToRaw = new ArrayList<>();
        KcptunRunner kcptun = new KcptunRunner(options);
        SideResult kcptunResult = new SideResult("kcptun", kcptun.describe());
        if (options.wantsKcptun()) {
            kcptunResult.skipped = KcptunRunner.ensureInstalled(logDir);
        }

        for (int run = 1; run <= options.runs(); run++) {
            if (shoal != null) {
                // raw, then secure, back to back: the same machine noise for both halves of each ratio
                double raw = runShoal(shoal, shoalResult, logDir, run, options.runs());
                double sec = runShoal(secure, secureResult, logDir, run, options.runs());
                if (raw > 0 && sec >= 0) {
                    secureToRaw.add(sec / raw);
                }
            }
            if (options.wantsKcptun() && kcptunResult.skipped == null) {
                try {
                    double mbps = kcptun.runOnce(logDir, run);
                    kcptunResult.goodputMbps.add(mbps);
                    progress("kcptun", run, options.runs(), mbps);
                } catch (IOException e) {
                    kcptunResult.failures.add("run " + run + ": " + e.getMessage());
                    System.err.println("loopback: kcptun run " + run + " failed: " + e.getMessage());
                }
            }
        }

        printTable(options, shoalResult, secureResult, kcptunResult);
        SideResult ratios = new SideResult("ratio", "secure/raw per run");
        ratios.goodputMbps.addAll(secureToRaw);
        if (ratios.hasData()) {
            System.out.printf(Locale.ROOT, "ratio secure/raw: median of %d runs %.2f (per run: %s); of the medians "
                + "%.2f (target >= 0.80)%n", secureToRaw.size(), ratios.medianMbps(), secureToRaw.stream()
                .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ", "[", "]")),
                secureResult.medianMbps() / shoalResult.medianMbps());
        }
        if (options.json()) {
            System.out.println(toJson(options, shoalResult, secureResult, kcptunResult, ratios));
        }
        return shoalResult.failures.isEmpty() && secureResult.failures.isEmpty() && kcptunResult.failures.isEmpty()
            ? 0 : 1;
    }

    /** One shoal run of {@code runner}'s profile into {@code result}; its goodput, or -1 when it failed. */
    private static double runShoal(ShoalPerfRunner runner, SideResult result, Path logDir, int run, int runs) {
        try {
            JsonNode summary = runner.runOnce(logDir, run);
            double mbps = summary.get("goodput_mbps").asDouble();
            result.goodputMbps.add(mbps);
            progress(result.side, run, runs, mbps);
            printCpu(result.side, summary);
            printSendLimits(result.side, summary);
            return mbps;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            result.failures.add("run " + run + ": " + e.getMessage());
            System.err.println("loopback: " + result.side + " run " + run + " failed: " + e.getMessage());
            return -1;
        }
    }

    /**
     * Prints the run's CPU per goodput byte: the client's (its own report, over the measured seconds), the server's
     * (sampled by the runner over the same seconds), and both, which is what bounds goodput on a machine whose
     * cores both JVMs share; then the same without the JIT compiler threads (the datapath's own cost).
     */
    private static void printCpu(String side, JsonNode summary) {
        long bytes = summary.path("bytes").asLong(0);
        long clientMs = summary.path("cpu_ms").asLong(-1);
        long serverMs = summary.path("server_cpu_ms").asLong(-1);
        long clientApp = summary.path("client_cpu_ms_without_jit").asLong(-1);
        long serverApp = summary.path("server_cpu_ms_without_jit").asLong(-1);
        if (bytes <= 0 || clientMs < 0 || serverMs < 0) {
            return;
        }
        System.err.printf(Locale.ROOT, "loopback: %-6s cpu ns/B: client %.2f, server %.2f, both %.2f (%d + %d ms "
            + "for %d bytes)%n", side, clientMs * 1e6 / bytes, serverMs * 1e6 / bytes,
            (clientMs + serverMs) * 1e6 / bytes, clientMs, serverMs, bytes);
        if (clientApp >= 0 && serverApp >= 0) {
            System.err.printf(Locale.ROOT, "loopback: %-6s cpu ns/B without JIT threads: client %.2f, server %.2f, "
                + "both %.2f%n", side, clientApp * 1e6 / bytes, serverApp * 1e6 / bytes,
                (clientApp + serverApp) * 1e6 / bytes);
        }
    }

    /** What stopped the client's sender, flush by flush ({@code shoal perf}'s {@code flushes_limited_*}). */
    private static void printSendLimits(String side, JsonNode summary) {
        SendLimits limits = new SendLimits(summary.path("flushes_limited_cwnd").asLong(-1),
            summary.path("flushes_limited_window").asLong(-1), summary.path("flushes_limited_pacing").asLong(-1),
            summary.path("flushes_limited_app").asLong(-1));
        if (limits.cwnd() < 0 || limits.flow() < 0 || limits.pacing() < 0 || limits.app() < 0) {
            return; // a launcher from before these fields
        }
        System.err.printf(Locale.ROOT, "loopback: %-6s sender %s%n", side, limits.describe());
    }

    private static void progress(String side, int run, int runs, double mbps) {
        System.err.printf(Locale.ROOT, "loopback: %-6s run %d/%d: %.1f Mbit/s%n", side, run, runs, mbps);
    }

    private static void printTable(LoopbackOptions options, SideResult... sides) {
        System.out.printf(Locale.ROOT,
            "loopback goodput on 127.0.0.1: %d s per run after %d s of warm-up, %d run(s) per side%n",
            options.seconds(), options.omit(), options.runs());
        System.out.printf(Locale.ROOT, "%-7s %-64s %10s %10s %10s %5s%n",
            "side", "configuration", "median", "min", "max", "runs");
        for (SideResult side : sides) {
            if (side.skipped != null) {
                System.out.printf(Locale.ROOT, "%-7s skipped: %s%n", side.side, side.skipped);
                continue;
            }
            if (!side.hasData() && side.failures.isEmpty()) {
                continue; // not requested
            }
            if (side.hasData()) {
                System.out.printf(Locale.ROOT, "%-7s %-64s %10.1f %10.1f %10.1f %5d%n", side.side, side.config,
                    side.medianMbps(), side.minMbps(), side.maxMbps(), side.goodputMbps.size());
            } else {
                System.out.printf(Locale.ROOT, "%-7s %-64s no successful run%n", side.side, side.config);
            }
            for (String failure : side.failures) {
                System.out.printf(Locale.ROOT, "%-7s FAILED %s%n", "", firstAndLastLine(failure));
            }
        }
        System.out.println("(Mbit/s of application goodput; medians over successful runs)");
        SideResult kcptun = sides[sides.length - 1];
        if (sides[0].hasData() && kcptun.hasData()) {
            System.out.printf(Locale.ROOT, "ratio shoal (raw)/kcptun (medians): %.2f%n",
                sides[0].medianMbps() / kcptun.medianMbps());
        }
    }

    /**
     * A failure in one line: what failed, then the child's last log line that is not indented (stack frames and
     * "... n more" are), which usually says why.
     */
    private static String firstAndLastLine(String message) {
        String[] lines = message.strip().split("\\R");
        for (int i = lines.length - 1; i > 0; i--) {
            if (!lines[i].isBlank() && !Character.isWhitespace(lines[i].charAt(0))) {
                return lines[0] + " ... " + lines[i];
            }
        }
        return lines[0];
    }

    private static String toJson(LoopbackOptions options, SideResult shoal, SideResult secure, SideResult kcptun,
                                 SideResult secureToRaw) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("seconds", options.seconds());
        root.put("omit_seconds", options.omit());
        root.put("runs", options.runs());
        root.set("shoal", sideJson(mapper, shoal));
        root.set("secure", sideJson(mapper, secure));
        root.set("kcptun", sideJson(mapper, kcptun));
        ArrayNode perRun = root.putArray("secure_to_raw");
        secureToRaw.goodputMbps.forEach(perRun::add);
        if (secureToRaw.hasData()) {
            root.put("secure_to_raw_median", secureToRaw.medianMbps());
        } else {
            root.putNull("secure_to_raw_median");
        }
        if (shoal.hasData() && kcptun.hasData()) {
            root.put("ratio", shoal.medianMbps() / kcptun.medianMbps());
        } else {
            root.putNull("ratio");
        }
        return mapper.writeValueAsString(root);
    }

    private static ObjectNode sideJson(ObjectMapper mapper, SideResult side) {
        ObjectNode node = mapper.createObjectNode();
        node.put("config", side.config);
        if (side.skipped != null) {
            node.put("skipped", side.skipped);
        }
        ArrayNode runs = node.putArray("goodput_mbps");
        side.goodputMbps.forEach(runs::add);
        if (side.hasData()) {
            node.put("median_mbps", side.medianMbps());
        } else {
            node.putNull("median_mbps");
        }
        node.put("failed_runs", side.failures.size());
        return node;
    }
}
