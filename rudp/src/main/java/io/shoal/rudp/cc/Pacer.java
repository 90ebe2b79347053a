package io.shoal.rudp.cc;

/**
 * A token bucket in nanoseconds that spreads a window over time instead of sending it as one burst.
 *
 * <p>Tokens (bytes) accrue at the controller's pacing rate up to {@code burstBytes}; a segment may leave when the
 * bucket holds at least one byte (so a segment larger than the remaining tokens drives the balance negative and the
 * next one waits: no segment is ever split or starved). No allocation, no clock: {@code nowNs} comes in.
 *
 * <p>The bucket holds at least {@code burstBytes}, and at high rates {@value #BURST_NS} ns worth of the rate (as
 * Linux sizes a TSO burst to about 1 ms of its pacing rate): an engine is woken by its event loop, not by a
 * high-resolution timer, and a loop round on a busy machine takes tens to hundreds of microseconds. A cap of a
 * fixed sixteen segments (22 KB, 180 us at 1 Gbit/s) let a loopback transfer send only that much per round, so the
 * pacer, not the path, set the rate. At WAN rates (50 Mbit/s: 6 KB per ms) the fixed cap still rules.
 */
public final class Pacer {
    /** The bucket holds at least this much time at the current rate. */
    static final long BURST_NS = 1_000_000L;
    private final long burstBytes;
    private double tokens;
    private long lastNs;
    private boolean started;

    /** @param burstBytes the most bytes that may leave back to back after an idle period */
    public Pacer(long burstBytes) {
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burstBytes must be positive: " + burstBytes);
        }
        this.burstBytes = burstBytes;
        this.tokens = burstBytes;
    }

    private void refill(long nowNs, long rateBytesPerSecond) {
        if (!started) {
            started = true;
            lastNs = nowNs;
            return;
        }
        long elapsed = nowNs - lastNs;
        if (elapsed > 0) {
            double capBytes = Math.max(burstBytes, BURST_NS * (rateBytesPerSecond / 1e9));
            tokens = Math.min(capBytes, tokens + elapsed * (rateBytesPerSecond / 1e9));
            lastNs = nowNs;
        }
    }

    /**
     * Takes {@code bytes} if the pacer allows a send now.
     *
     * @param rateBytesPerSecond current pacing rate; {@code <= 0} means unpaced (always allowed)
     * @return true when the segment may be sent now (and its bytes were taken)
     */
    public boolean tryConsume(long nowNs, int bytes, long rateBytesPerSecond) {
        if (rateBytesPerSecond <= 0) {
            return true;
        }
        refill(nowNs, rateBytesPerSecond);
        if (tokens <= 0) {
            return false;
        }
        tokens -= bytes;
        return true;
    }

    /** The earliest time a segment may leave, for the engine's deadline; {@code nowNs} when it may leave now. */
    public long nextSendTimeNs(long nowNs, long rateBytesPerSecond) {
        if (rateBytesPerSecond <= 0) {
            return nowNs;
        }
        refill(nowNs, rateBytesPerSecond);
        if (tokens > 0) {
            return nowNs;
        }
        double deficit = 1 - tokens;
        return nowNs + Math.max(1, (long) (deficit * 1e9 / rateBytesPerSecond));
    }
}
