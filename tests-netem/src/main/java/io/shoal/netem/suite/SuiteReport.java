package io.shoal.netem.suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the matrix (the suite's workloads plus the comparison stacks) and writes {@code report.md},
 * {@code report.csv} and the PNG charts into a directory, with one progress line per scenario on {@code progress}.
 */
public final class SuiteReport {
    private final ScenarioRunner runner;
    private final PrintWriter progress;

    public SuiteReport(ScenarioRunner runner, PrintWriter progress) {
        this.runner = runner;
        this.progress = progress;
    }

    /** Runs every scenario and writes the report; returns the results (failed ones included). */
    public List<ScenarioResult> run(Path outDir) throws IOException {
        return run(outDir, List.of());
    }

    /**
     * Runs the scenarios of the workloads whose id starts with one of {@code idPrefixes} (all when empty) and writes
     * the report; returns the results (failed ones included).
     */
    public List<ScenarioResult> run(Path outDir, List<String> idPrefixes) throws IOException {
        Files.createDirectories(outDir);
        List<Workload> workloads = new ArrayList<>(SuiteMatrix.workloads());
        workloads.addAll(SuiteMatrix.comparisons());
        if (!idPrefixes.isEmpty()) {
            workloads.removeIf(w -> idPrefixes.stream().noneMatch(w.id()::startsWith));
        }
        List<SuiteMatrix.Scenario> scenarios = SuiteMatrix.scenarios(runner.size(), workloads);
        // The first scenario of a cold JVM runs interpreted; one unrecorded bulk run lets the JIT catch up.
        progress.println("netem report: warm-up (rudp-bulk @ clean, not recorded) ...");
        progress.flush();
        runner.run(LinkProfile.CLEAN, new RudpBulkWorkload());
        List<ScenarioResult> results = new ArrayList<>();
        int i = 0;
        for (SuiteMatrix.Scenario s : scenarios) {
            progress.printf(Locale.ROOT, "netem report: [%d/%d] %s ...%n", ++i, scenarios.size(), s);
            progress.flush();
            ScenarioResult r = runner.run(s);
            progress.printf(Locale.ROOT, "netem report:        %s%s (%.1f s)%n", r.status().name().toLowerCase(
                Locale.ROOT), r.reason().isEmpty() ? "" : ": " + r.reason(), r.wallSeconds());
            progress.flush();
            results.add(r);
        }
        String heading = "# shoal lossy-network suite: " + runner.size().id() + " profile, seed " + runner.seed()
            + "\n\n" + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs. Goodput is "
            + "application bytes over time; latency is one-way per message (interactive), per announce (tracker) "
            + "or the sender's smoothed RTT sampled every 20 ms (bulk); overhead is payload bytes put on the wire "
            + "beyond those delivered; CPU is the whole process (proxy and both ends). One unrecorded warm-up run "
            + "precedes the table.";
        ReportTables.writeMarkdown(outDir.resolve("report.md"), results, heading);
        ReportTables.writeCsv(outDir.resolve("report.csv"), results);
        List<String> bulk = workloads.stream().map(Workload::id).filter(id -> id.endsWith("-bulk")).toList();
        ReportCharts.write(outDir, results, bulk, new RudpInteractiveWorkload().id());
        return results;
    }
}
