package io.shoal.rudp.perf;

/** Counts RTT samples in 1 ms buckets (0..9999 ms, larger values in the last one) and answers percentiles. */
final class RttHistogram {
    private static final int BUCKETS = 10_000;
    private final long[] counts = new long[BUCKETS];
    private long total;

    void record(int rttMs) {
        counts[Math.max(0, Math.min(BUCKETS - 1, rttMs))]++;
        total++;
    }

    /** Forgets every sample. */
    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    long count() {
        return total;
    }

    /** The smallest bucket at or below which {@code percent} of the samples lie; -1 with no samples. */
    int percentileMs(double percent) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(percent / 100.0 * total);
        long seen = 0;
        for (int ms = 0; ms < BUCKETS; ms++) {
            seen += counts[ms];
            if (seen >= Math.max(1, rank)) {
                return ms;
            }
        }
        return BUCKETS - 1;
    }
}
