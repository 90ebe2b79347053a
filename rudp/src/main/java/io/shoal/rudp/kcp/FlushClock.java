package io.shoal.rudp.kcp;

/**
 * The periodic flush schedule of {@code ikcp_update}: {@code ts_flush} advances by the interval, resynchronises
 * after a jump of 10 s either way, and the first call starts it. Times are the engine's millisecond clock
 * ({@code current}); single-threaded.
 */
final class FlushClock {
    private static final int RESYNC_MS = 10_000;
    private static final long NS_PER_MS = 1_000_000L;

    private final int intervalMs;
    private boolean started;
    private int tsFlush;

    FlushClock(int intervalMs) {
        this.intervalMs = intervalMs;
        this.tsFlush = intervalMs;
    }

    /** True once {@link #tick} ran ({@code kcp->updated}): nothing is flushed before. */
    boolean started() {
        return started;
    }

    /** {@code ikcp_update}: true when the periodic flush is due at {@code currentMs} (and schedules the next). */
    boolean tick(int currentMs) {
        if (!started) {
            started = true;
            tsFlush = currentMs;
        }
        int slap = currentMs - tsFlush;
        if (slap >= RESYNC_MS || slap < -RESYNC_MS) {
            tsFlush = currentMs;
            slap = 0;
        }
        if (slap < 0) {
            return false;
        }
        tsFlush += intervalMs;
        if (currentMs - tsFlush >= 0) {
            tsFlush = currentMs + intervalMs;
        }
        return true;
    }

    /** The next periodic flush as an absolute time in nanoseconds, seen from {@code nowNs}. */
    long nextFlushNs(long nowNs) {
        long baseMs = Math.floorDiv(nowNs, NS_PER_MS);
        return (baseMs + (tsFlush - (int) baseMs)) * NS_PER_MS;
    }
}
