package io.shoal.netem.suite;

import java.util.Arrays;

/**
 * Latency samples in milliseconds (at most {@value #MAX_SAMPLES}; later ones replace earlier ones at random so a
 * long run keeps a fair sample). Percentiles by nearest rank. Not thread-safe: fill from one thread, then read.
 */
public final class LatencySamples {
    static final int MAX_SAMPLES = 100_000;
    private double[] values = new double[64];
    private int count;
    private long seen;
    private long replaceState = 0x9E3779B97F4A7C15L;

    public void add(double ms) {
        seen++;
        if (count < MAX_SAMPLES) {
            if (count == values.length) {
                values = Arrays.copyOf(values, Math.min(MAX_SAMPLES, count * 2));
            }
            values[count++] = ms;
            return;
        }
        replaceState = replaceState * 6364136223846793005L + 1442695040888963407L; // reservoir sampling, LCG
        long slot = Long.remainderUnsigned(replaceState >>> 1, seen);
        if (slot < MAX_SAMPLES) {
            values[(int) slot] = ms;
        }
    }

    public int count() {
        return count;
    }

    /** The {@code p}-th percentile (0 < p <= 100), NaN when empty. */
    public double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    /** The samples in ascending order (a copy). */
    public double[] sorted() {
        double[] s = Arrays.copyOf(values, count);
        Arrays.sort(s);
        return s;
    }
}
