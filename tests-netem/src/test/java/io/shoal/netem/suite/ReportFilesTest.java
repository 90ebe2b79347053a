package io.shoal.netem.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's table, CSV and charts from known results. */
class ReportFilesTest {
    private static ScenarioResult passed(LinkProfile p, String workload, double... latencies) {
        LatencySamples l = new LatencySamples();
        Arrays.stream(latencies).forEach(l::add);
        return new ScenarioResult(p, workload, ScenarioResult.Status.PASSED, "",
            new Measurement(1_000_000, 80_000_000, l, 1_050_000, "resent 3"), 0.5, 1.0);
    }

    private static final List<ScenarioResult> RESULTS = List.of(
        passed(LinkProfile.CLEAN, "rudp-bulk", 2, 4),
        passed(LinkProfile.LOSS_5, "rudp-bulk", 3, 9),
        passed(LinkProfile.LOSS_5, "rudp-interactive", 1, 2, 3, 4, 100),
        new ScenarioResult(LinkProfile.LOSS_10, "rudp-bulk", ScenarioResult.Status.FAILED,
            "integrity: SHA-256 differs", null, 2.0, 3.0),
        new ScenarioResult(LinkProfile.REBIND, "rudp-bulk", ScenarioResult.Status.SKIPPED, "cannot | rebind", null,
            0, 0));

    @Test
    void shouldWriteOneRowPerScenarioWithItsFigures(@TempDir Path dir) throws Exception {
        ReportTables.writeMarkdown(dir.resolve("report.md"), RESULTS, "# test");
        List<String> md = Files.readAllLines(dir.resolve("report.md"));
        assertEquals(4 + RESULTS.size(), md.size(), String.join("\n", md));
        assertEquals("| rudp-bulk @ loss 5% | ok | 100.00 | 3.0 / 9.0 / 9.0 | 5.0 | 0.50 | resent 3 |", md.get(5));
        assertTrue(md.get(7).contains("**FAILED**") && md.get(7).contains("SHA-256 differs"), md.get(7));
        assertTrue(md.get(8).contains("cannot / rebind"), "a pipe in a note would break the table: " + md.get(8));

        ReportTables.writeCsv(dir.resolve("report.csv"), RESULTS);
        List<String> csv = Files.readAllLines(dir.resolve("report.csv"));
        assertEquals(1 + RESULTS.size(), csv.size());
        assertTrue(csv.get(3).startsWith("loss-5,\"loss 5%\",rudp-interactive,passed,100.000,3.000,100.000,100.000,5,"),
            csv.get(3));
    }

    @Test
    void shouldDrawEveryChartAsAPng(@TempDir Path dir) throws Exception {
        List<Path> charts = ReportCharts.write(dir, RESULTS, List.of("rudp-bulk", "kcptun-bulk"), "rudp-interactive");
        assertEquals(List.of("goodput-vs-loss.png", "goodput-by-profile.png", "latency-cdf.png"),
            charts.stream().map(p -> p.getFileName().toString()).toList());
        for (Path c : charts) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(c), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, c.toString());
            assertTrue(Files.size(c) > 5_000, c + " has content");
        }
    }

    @Test
    void shouldGiveNearestRankPercentiles() {
        LatencySamples l = new LatencySamples();
        for (int i = 100; i >= 1; i--) {
            l.add(i);
        }
        assertEquals(50, l.percentile(50));
        assertEquals(95, l.percentile(95));
        assertEquals(100, l.percentile(100));
        assertEquals(1, l.percentile(0.5));
        assertTrue(Double.isNaN(new LatencySamples().percentile(50)));
    }
}
