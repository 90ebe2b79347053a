package io.shoal.tracker.server;

import java.util.function.IntSupplier;

/**
 * The tracker's time base: whole seconds since start, from 1 upward (the registry reserves 0), from the monotonic
 * clock. The services take time as an argument; only this shell class reads the clock.
 */
final class TrackerClock implements IntSupplier {
    private final long originNs;

    TrackerClock(long originNs) {
        this.originNs = originNs;
    }

    @Override
    public int getAsInt() {
        return (int) ((System.nanoTime() - originNs) / 1_000_000_000L) + 1;
    }
}
