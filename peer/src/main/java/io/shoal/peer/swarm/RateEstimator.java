package io.shoal.peer.swarm;

/**
 * A smoothed byte rate: an exponentially weighted moving average in continuous time, so irregular arrivals need no
 * fixed sampling windows. Each arrival of {@code b} bytes adds {@code b / tau} to the rate, and the rate decays by
 * {@code exp(-dt / tau)}; a steady flow of R bytes/s converges to R with time constant {@code tau}.
 */
public final class RateEstimator {
    private final double tauNs;
    private double rateBytesPerNs;
    private long lastNs;
    private boolean started;

    /** @param timeConstantNs smoothing time constant, nanoseconds (for example 2 s); positive */
    public RateEstimator(long timeConstantNs) {
        if (timeConstantNs <= 0) {
            throw new IllegalArgumentException("timeConstantNs must be positive");
        }
        this.tauNs = timeConstantNs;
    }

    /** Counts {@code bytes} transferred at {@code nowNs}. Times must not go backwards; an older time counts as now. */
    public void onBytes(long bytes, long nowNs) {
        decayTo(nowNs);
        rateBytesPerNs += bytes / tauNs;
    }

    /** The smoothed rate at {@code nowNs}, bytes per second. */
    public long bytesPerSecond(long nowNs) {
        if (!started) {
            return 0;
        }
        long dt = Math.max(0, nowNs - lastNs);
        return (long) (rateBytesPerNs * Math.exp(-dt / tauNs) * 1e9);
    }

    private void decayTo(long nowNs) {
        if (started) {
            long dt = nowNs - lastNs;
            if (dt > 0) {
                rateBytesPerNs *= Math.exp(-dt / tauNs);
                lastNs = nowNs;
            }
        } else {
            started = true;
            lastNs = nowNs;
        }
    }
}
