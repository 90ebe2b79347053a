package io.shoal.netem.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes the suite's results as {@code report.md} (a Markdown table) and {@code report.csv} (one row a scenario). */
final class ReportTables {
    private static final String CSV_HEADER = "profile,profile_label,workload,status,goodput_mbps,latency_p50_ms,"
        + "latency_p95_ms,latency_p99_ms,latency_samples,retransmit_overhead_pct,cpu_s,wall_s,note";

    private ReportTables() {
    }

    static void writeMarkdown(Path file, List<ScenarioResult> results, String heading) throws IOException {
        StringBuilder md = new StringBuilder(heading).append("\n\n");
        md.append("| scenario | integrity | goodput Mbit/s | latency p50 / p95 / p99 ms | retransmission overhead % "
            + "| CPU s | note |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (ScenarioResult r : results) {
            Measurement m = r.measurement();
            md.append("| ").append(r.name()).append(" | ").append(integrity(r)).append(" | ")
                .append(m == null || m.payloadBytes() == 0 ? "-" : fmt(m.goodputMbps(), 2)).append(" | ")
                .append(m == null || m.latency().count() == 0 ? "-" : fmt(m.latency().percentile(50), 1) + " / "
                    + fmt(m.latency().percentile(95), 1) + " / " + fmt(m.latency().percentile(99), 1)).append(" | ")
                .append(m == null ? "-" : fmt(m.retransmitOverheadPercent(), 1)).append(" | ")
                .append(r.status() == ScenarioResult.Status.SKIPPED ? "-" : fmt(r.cpuSeconds(), 2)).append(" | ")
                .append(note(r).replace("|", "/")).append(" |\n");
        }
        Files.writeString(file, md);
    }

    static void writeCsv(Path file, List<ScenarioResult> results) throws IOException {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (ScenarioResult r : results) {
            Measurement m = r.measurement();
            LatencySamples l = m == null ? new LatencySamples() : m.latency();
            csv.append(String.join(",", r.profile().id(), quote(r.profile().label()), r.workload(),
                r.status().name().toLowerCase(Locale.ROOT),
                m == null || m.payloadBytes() == 0 ? "" : fmt(m.goodputMbps(), 3),
                csvNumber(l.percentile(50)), csvNumber(l.percentile(95)), csvNumber(l.percentile(99)),
                String.valueOf(l.count()), m == null ? "" : csvNumber(m.retransmitOverheadPercent()),
                fmt(r.cpuSeconds(), 3), fmt(r.wallSeconds(), 3), quote(note(r)))).append('\n');
        }
        Files.writeString(file, csv);
    }

    private static String integrity(ScenarioResult r) {
        return switch (r.status()) {
            case PASSED -> "ok";
            case FAILED -> "**FAILED**";
            case SKIPPED -> "skipped";
        };
    }

    private static String note(ScenarioResult r) {
        return r.status() == ScenarioResult.Status.PASSED ? r.measurement().detail() : r.reason();
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
