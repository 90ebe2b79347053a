package io.shoal.tracker.server;

/**
 * Per-source-address token buckets in a fixed table (addresses hashed into {@code slots} buckets; a collision only
 * shares a budget), so a flood from one address is cut off while everyone else is served and memory stays fixed
 * whatever the number of sources. Sans-IO: time is an argument. Single-threaded.
 */
public final class SourceRateLimiter {
    private final int ratePerSec;
    private final int burst;
    private final int mask;
    private final int[] tokens;
    private final int[] refilledSec;

    /**
     * @param ratePerSec requests per second allowed per source; 0 turns the limiter off
     * @param slots      buckets, rounded up to a power of two
     */
    public SourceRateLimiter(int ratePerSec, int slots) {
        this.ratePerSec = ratePerSec;
        this.burst = Math.max(1, ratePerSec * 2);
        int n = Integer.highestOneBit(Math.max(2, slots) - 1) << 1;
        this.mask = n - 1;
        this.tokens = new int[n];
        this.refilledSec = new int[n];
    }

    /** Takes one token for the source hashed to {@code sourceHash}; false when its budget is spent. */
    public boolean tryAcquire(int sourceHash, int nowSec) {
        if (ratePerSec == 0) {
            return true;
        }
        int h = sourceHash * 0x9E3779B9;
        int slot = (h ^ h >>> 16) & mask;
        int elapsed = nowSec - refilledSec[slot];
        if (refilledSec[slot] == 0) {
            tokens[slot] = burst; // a bucket never used starts full
            refilledSec[slot] = nowSec;
        } else if (elapsed > 0) {
            tokens[slot] = (int) Math.min(burst, (long) tokens[slot] + (long) elapsed * ratePerSec);
            refilledSec[slot] = nowSec;
        }
        if (tokens[slot] == 0) {
            return false;
        }
        tokens[slot]--;
        return true;
    }
}
