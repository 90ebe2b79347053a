package io.shoal.bench.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The timed runs of one side of the one-to-one benchmark: seconds per successful run, one line per failed run, or
 * why the side was skipped altogether. Used from one thread.
 */
final class SideTimes {
    final String name;
    final String config;
    final List<Double> seconds = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    String skipped;

    SideTimes(String name, String config) {
        this.name = name;
        this.config = config;
    }

    /** Median seconds (mean of the middle two for an even count); NaN without a successful run. */
    double medianSeconds() {
        return median(seconds);
    }

    /** The median of {@code values}; NaN when empty. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
