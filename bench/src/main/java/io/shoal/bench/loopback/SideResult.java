package io.shoal.bench.loopback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one side (shoal or kcptun) measured over its runs: goodput per successful run in Mbit/s, and a line per
 * failed run. {@code skipped} is set when the side could not run at all (for example kcptun is not installed).
 */
final class SideResult {
    final String side;
    final String config;
    final List<Double> goodputMbps = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    String skipped;

    SideResult(String side, String config) {
        this.side = side;
        this.config = config;
    }

    boolean hasData() {
        return !goodputMbps.isEmpty();
    }

    /** Median of the successful runs (mean of the middle two for an even count); NaN when there are none. */
    double medianMbps() {
        if (goodputMbps.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = goodputMbps.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double minMbps() {
        return goodputMbps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double maxMbps() {
        return goodputMbps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
