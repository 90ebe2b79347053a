package io.shoal.peer.swarm;

/**
 * A non-blocking token bucket, optionally under a parent bucket (per-torrent under global): bytes are taken from
 * this bucket and every ancestor, or from none. A rate of 0 means unlimited. Buckets may go into debt by one request
 * so a block larger than the burst still passes once enough tokens have accrued (at least {@code min(bytes, burst)}),
 * and the debt is paid back by waiting. Time comes in as {@code nowNs}; nothing sleeps.
 */
public final class RateLimiter {
    private final RateLimiter parent;
    private long bytesPerSecond;
    private long burstBytes;
    private double tokens;
    private long lastNs;
    private boolean started;

    /**
     * @param bytesPerSecond refill rate, bytes per second; 0 = unlimited
     * @param burstBytes     bucket size, bytes (at least one block is sensible)
     * @param parent         the enclosing bucket, or null for a root
     */
    public RateLimiter(long bytesPerSecond, long burstBytes, RateLimiter parent) {
        this.parent = parent;
        setRate(bytesPerSecond, burstBytes);
    }

    /** An unlimited root, for wiring when no limit is configured. */
    public static RateLimiter unlimited() {
        return new RateLimiter(0, 0, null);
    }

    /** Changes the rate (0 = unlimited) and burst; the bucket starts full again. */
    public void setRate(long bytesPerSecond, long burstBytes) {
        if (bytesPerSecond < 0 || burstBytes < 0) {
            throw new IllegalArgumentException("negative rate or burst");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = Math.max(1, burstBytes);
        this.tokens = this.burstBytes;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} from this bucket and its ancestors if all can give them now; otherwise takes nothing. */
    public boolean tryAcquire(long bytes, long nowNs) {
        if (nextAvailableNs(bytes, nowNs) - nowNs > 0) {
            return false;
        }
        for (RateLimiter l = this; l != null; l = l.parent) {
            if (l.bytesPerSecond > 0) {
                l.tokens -= bytes;
            }
        }
        return true;
    }

    /** Earliest time, at or after {@code nowNs}, when {@link #tryAcquire} of {@code bytes} would succeed. */
    public long nextAvailableNs(long bytes, long nowNs) {
        long at = nowNs;
        for (RateLimiter l = this; l != null; l = l.parent) {
            at = Math.max(at, l.ownAvailableNs(bytes, nowNs));
        }
        return at;
    }

    private long ownAvailableNs(long bytes, long nowNs) {
        if (bytesPerSecond == 0) {
            return nowNs;
        }
        refill(nowNs);
        double need = Math.min(bytes, burstBytes) - tokens;
        if (need <= 0) {
            return nowNs;
        }
        return nowNs + (long) Math.ceil(need * 1e9 / bytesPerSecond);
    }

    private void refill(long nowNs) {
        if (!started) {
            started = true;
            lastNs = nowNs;
            return;
        }
        long dt = nowNs - lastNs;
        if (dt > 0) {
            tokens = Math.min(burstBytes, tokens + dt * (bytesPerSecond / 1e9));
            lastNs = nowNs;
        }
    }
}
