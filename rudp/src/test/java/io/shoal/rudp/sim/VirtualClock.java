package io.shoal.rudp.sim;

/**
 * Simulated time in nanoseconds that moves only when told to (Aeron's {@code CachedNanoClock}). Never goes backwards.
 * Not thread-safe: one simulation runs on one thread.
 */
public final class VirtualClock {
    private long nowNs;

    /** A clock starting at {@code startNs}. */
    public VirtualClock(final long startNs) {
        this.nowNs = startNs;
    }

    /** A clock starting at zero. */
    public VirtualClock() {
        this(0L);
    }

    /** The current virtual time in nanoseconds. */
    public long nanoTime() {
        return nowNs;
    }

    /** Moves the clock to {@code timeNs}; an earlier time is a programming error. */
    public void advanceTo(final long timeNs) {
        if (timeNs - nowNs < 0) {
            throw new IllegalArgumentException("virtual time cannot go back from " + nowNs + " to " + timeNs + " ns");
        }
        nowNs = timeNs;
    }

    /** Moves the clock forward by {@code deltaNs} (must be non-negative). */
    public void advance(final long deltaNs) {
        advanceTo(nowNs + deltaNs);
    }
}
