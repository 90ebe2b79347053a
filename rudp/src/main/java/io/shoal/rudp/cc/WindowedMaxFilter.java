package io.shoal.rudp.cc;

/**
 * The running maximum of a value over a sliding window of "time" (any non-decreasing counter: BBR uses round trips),
 * kept in constant space with Kathleen Nichols' three-sample algorithm, as Linux {@code lib/win_minmax.c} and
 * quinn's {@code congestion/bbr/min_max.rs} do.
 *
 * <p>It holds the best, second-best and third-best samples from successive quarters of the window, so the maximum
 * can age out without storing every sample. No allocation; single-threaded.
 */
final class WindowedMaxFilter {
    private final long windowLength;
    private long t0;
    private long v0;
    private long t1;
    private long v1;
    private long t2;
    private long v2;

    /** @param windowLength how long (in the caller's time unit) a sample may stay the maximum */
    WindowedMaxFilter(long windowLength) {
        if (windowLength <= 0) {
            throw new IllegalArgumentException("windowLength must be positive: " + windowLength);
        }
        this.windowLength = windowLength;
    }

    /** The current maximum, 0 before any sample. */
    long best() {
        return v0;
    }

    /** Forgets every sample and starts over with this one. */
    void reset(long time, long value) {
        t0 = time;
        v0 = value;
        t1 = time;
        v1 = value;
        t2 = time;
        v2 = value;
    }

    /** Adds a sample taken at {@code time} (never earlier than the previous one) and returns the new maximum. */
    long update(long time, long value) {
        if (value >= v0 || time - t2 > windowLength) {
            reset(time, value); // a new maximum, or nothing left in the window
            return v0;
        }
        if (value >= v1) {
            t1 = time;
            v1 = value;
            t2 = time;
            v2 = value;
        } else if (value >= v2) {
            t2 = time;
            v2 = value;
        }
        return updateSubWindows(time, value);
    }

    private long updateSubWindows(long time, long value) {
        long dt = time - t0;
        if (dt > windowLength) {
            // The best sample aged out: promote the others, and once more if the second-best is also too old.
            shiftIn(time, value);
            if (time - t0 > windowLength) {
                shiftIn(time, value);
            }
        } else if (t1 == t0 && dt > windowLength / 4) {
            // A quarter of the window passed with no second choice: take one, so the maximum can age gracefully.
            t1 = time;
            v1 = value;
            t2 = time;
            v2 = value;
        } else if (t2 == t1 && dt > windowLength / 2) {
            t2 = time;
            v2 = value;
        }
        return v0;
    }

    private void shiftIn(long time, long value) {
        t0 = t1;
        v0 = v1;
        t1 = t2;
        v1 = v2;
        t2 = time;
        v2 = value;
    }
}
