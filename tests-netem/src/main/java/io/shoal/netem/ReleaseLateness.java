package io.shoal.netem;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * How late a UDP proxy hands each datagram to the kernel, against the time its link model said to release it: the
 * proxy's own accuracy, apart from whatever a measuring client adds (its scheduling, its GC, loopback delivery).
 * Datagrams handed on are {@linkplain #released noted} with their due time as the proxy writes them; after the batch's
 * flush {@link #handedOff} takes the clock once and records each one's lateness in an HdrHistogram (microsecond
 * resolution, two significant digits, up to {@link #MAX_TRACKED_NS}; later ones are recorded at that bound and
 * counted in {@code maxUs} as it). Allocation-free in steady state: the batch's due times go to an array that only
 * grows, the histogram's buckets are fixed. Event-loop only; {@link #summary} copies.
 */
final class ReleaseLateness {
    /** Longest lateness told apart; later ones are recorded as this (a stall that long is reported, not resolved). */
    static final long MAX_TRACKED_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long RESOLUTION_NS = 1_000;

    private final Histogram histogram = new Histogram(RESOLUTION_NS, MAX_TRACKED_NS, 2);
    private long[] dueNs = new long[256];
    private int pending;
    private long early;
    private long maxNs;

    /** Notes a datagram due at {@code dueNsValue} that has just been written (not yet flushed) to a channel. */
    void released(long dueNsValue) {
        if (pending == dueNs.length) {
            dueNs = Arrays.copyOf(dueNs, pending * 2); // only after a stall longer than any before: not per datagram
        }
        dueNs[pending++] = dueNsValue;
    }

    /** Records the datagrams noted since the last call as handed to the kernel at {@code nowNs}. */
    void handedOff(long nowNs) {
        for (int i = 0; i < pending; i++) {
            long latenessNs = nowNs - dueNs[i];
            if (latenessNs < 0) {
                early++; // the link model's time not yet reached: a bug in the delay line, counted and shown
                latenessNs = 0;
            }
            maxNs = Math.max(maxNs, latenessNs);
            histogram.recordValue(Math.min(latenessNs, MAX_TRACKED_NS));
        }
        pending = 0;
    }

    /** What was recorded so far; with {@code reset}, forgets it afterwards (an API client starting a measurement). */
    LatenessSummary summary(boolean reset) {
        long n = histogram.getTotalCount();
        LatenessSummary s = n == 0 ? LatenessSummary.EMPTY : new LatenessSummary(n, early,
            us(histogram.getMinValue()), percentileUs(50), percentileUs(90), percentileUs(99), percentileUs(99.9),
            us(maxNs), histogram.getMean() / 1000.0);
        if (reset) {
            histogram.reset();
            early = 0;
            maxNs = 0;
        }
        return s;
    }

    /** A bucket's highest equivalent value, but never above the exact maximum. */
    private long percentileUs(double percentile) {
        return us(Math.min(maxNs, histogram.getValueAtPercentile(percentile)));
    }

    private static long us(long ns) {
        return ns / 1000;
    }
}
