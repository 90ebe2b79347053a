package io.shoal.netem.suite;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's PNG charts (XChart, drawn headless): bulk goodput against random loss rate, bulk goodput per profile
 * side by side with the comparison stacks, and the interactive latency CDF per profile. Returns the files written; a
 * chart with no data is not drawn.
 */
final class ReportCharts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private ReportCharts() {
    }

    static List<Path> write(Path dir, List<ScenarioResult> results, List<String> bulkWorkloads,
                            String interactiveWorkload) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> written = new ArrayList<>();
        save(goodputVsLoss(results, bulkWorkloads), dir.resolve("goodput-vs-loss.png"), written);
        save(goodputByProfile(results, bulkWorkloads), dir.resolve("goodput-by-profile.png"), written);
        save(latencyCdf(results, interactiveWorkload), dir.resolve("latency-cdf.png"), written);
        return written;
    }

    private static void save(Chart<?, ?> chart, Path file, List<Path> written) throws IOException {
        if (chart != null) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(file);
        }
    }

    /** Goodput (Mbit/s) at 0, 1, 5 and 10% random loss each way, one line per bulk workload. */
    private static XYChart goodputVsLoss(List<ScenarioResult> results, List<String> bulkWorkloads) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Bulk goodput vs random loss")
            .xAxisTitle("loss each way (%)").yAxisTitle("goodput (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        boolean any = false;
        for (String w : bulkWorkloads) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (ScenarioResult r : results) {
                boolean random = r.profile() == LinkProfile.CLEAN || r.profile().name().startsWith("LOSS_");
                if (r.workload().equals(w) && random && r.measurement() != null) {
                    x.add(r.profile().lossRate() * 100);
                    y.add(r.measurement().goodputMbps());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(w, x, y).setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        return any ? chart : null;
    }

    /** Bulk goodput under every profile that ran, a bar per bulk workload. */
    private static CategoryChart goodputByProfile(List<ScenarioResult> results, List<String> bulkWorkloads) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 300).height(HEIGHT)
            .title("Bulk goodput per link profile").xAxisTitle("profile").yAxisTitle("goodput (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisMin(0.0);
        List<String> profiles = new ArrayList<>();
        for (ScenarioResult r : results) {
            if (bulkWorkloads.contains(r.workload()) && !profiles.contains(r.profile().label())) {
                profiles.add(r.profile().label());
            }
        }
        boolean any = false;
        for (String w : bulkWorkloads) {
            List<Double> y = new ArrayList<>();
            for (String p : profiles) {
                y.add(results.stream().filter(r -> r.workload().equals(w) && r.profile().label().equals(p)
                    && r.measurement() != null).mapToDouble(r -> r.measurement().goodputMbps()).findFirst()
                    .orElse(0));
            }
            if (y.stream().anyMatch(v -> v > 0)) {
                chart.addSeries(w, profiles, y);
                any = true;
            }
        }
        return any ? chart : null;
    }

    /** Fraction of interactive messages delivered within x ms (log x axis), one line per profile. */
    private static XYChart latencyCdf(List<ScenarioResult> results, String workload) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Interactive messages: one-way latency CDF").xAxisTitle("latency (ms, log scale)")
            .yAxisTitle("fraction delivered").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        boolean any = false;
        for (ScenarioResult r : results) {
            if (!r.workload().equals(workload) || r.measurement() == null || r.measurement().latency().count() == 0) {
                continue;
            }
            double[] x = r.measurement().latency().sorted();
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(x[i], 0.01); // a log axis cannot show 0
                y[i] = (i + 1) / (double) x.length;
            }
            XYSeries s = chart.addSeries(r.profile().label(), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            any = true;
        }
        return any ? chart : null;
    }
}
