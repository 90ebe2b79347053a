package io.shoal.netem;

/**
 * A UDP proxy's release lateness (see {@link ReleaseLateness}): datagrams handed to the kernel, how many of them the
 * proxy released before their due time (0 unless the delay line is broken; those count as 0 lateness), and the
 * lateness in microseconds: minimum, percentiles (to two significant digits, HdrHistogram's equivalent values), the
 * exact maximum and the mean.
 */
public record LatenessSummary(long count, long early, long minUs, long p50Us, long p90Us, long p99Us, long p999Us,
                              long maxUs, double meanUs) {
    /** Nothing recorded yet (also what a TCP proxy reports). */
    public static final LatenessSummary EMPTY = new LatenessSummary(0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
        return String.format("%d released (%d early), lateness min %d us, p50 %d us, p99 %d us, p99.9 %d us, max %d us",
            count, early, minUs, p50Us, p99Us, p999Us, maxUs);
    }
}
