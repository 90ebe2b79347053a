package io.shoal.bench.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
        ShoalPerfRunner shoal = options.wantsShoal() && shoalMissing == null ? ShoalPerfRunner.create(options) : null;
        SideResult shoalResult = new SideResult("shoal", shoal != null ? shoal.describe() : "raw profile");
        shoalResult.skipped = shoalMissing;
        KcptunRunner kcptun = new KcptunRunner(options);
        SideResult kcptunResult = new SideResult("kcptun", kcptun.describe());
        if (options.wantsKcptun()) {
            kcptunResult.skipped = KcptunRunner.ensureInstalled(logDir);
        }

        for (int run = 1; run <= options.runs(); run++) {
            if (shoal != null) {
                try {
                    JsonNode summary = shoal.runOnce(logDir, run);
                    double mbps = summary.get("goodput_mbps").asDouble();
                    shoalResult.goodputMbps.add(mbps);
                    progress("shoal", run, options.runs(), mbps);
                } catch (IOException e) {
                    shoalResult.failures.add("run " + run + ": " + e.getMessage());
                    System.err.println("loopback: shoal run " + run + " failed: " + e.getMessage());
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

        printTable(options, shoalResult, kcptunResult);
        if (options.json()) {
            System.out.println(toJson(options, shoalResult, kcptunResult));
        }
        return shoalResult.failures.isEmpty() && kcptunResult.failures.isEmpty() ? 0 : 1;
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
        if (sides[0].hasData() && sides[1].hasData()) {
            System.out.printf(Locale.ROOT, "ratio shoal/kcptun (medians): %.2f%n",
                sides[0].medianMbps() / sides[1].medianMbps());
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

    private static String toJson(LoopbackOptions options, SideResult shoal, SideResult kcptun) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("seconds", options.seconds());
        root.put("omit_seconds", options.omit());
        root.put("runs", options.runs());
        root.set("shoal", sideJson(mapper, shoal));
        root.set("kcptun", sideJson(mapper, kcptun));
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
