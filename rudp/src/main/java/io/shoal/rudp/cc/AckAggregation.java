package io.shoal.rudp.cc;

/**
 * How far acknowledgements run ahead of the bottleneck bandwidth when they arrive in bursts: Linux BBR's
 * {@code extra_acked} ({@code bbr_update_ack_aggregation}), the headroom BBR adds to its window so that ACKs held back
 * and released together do not leave the sender window-limited meanwhile.
 *
 * <p>An aggregation epoch starts when the bytes acknowledged since its start fall to what the bandwidth estimate
 * would have delivered in that time; within it, each ACK's excess ({@code acked - bandwidth * elapsed}, at most the
 * current window) is a sample, and the allowance is the largest sample of the last {@value #WINDOW_ROUNDS} rounds.
 * On loopback the peer's event loop reads its socket in batches and its thread is descheduled for milliseconds on a
 * loaded machine, so ACKs arrive a read batch at a time, and a window of {@code 2 * bandwidth * minRtt} (minRtt tens
 * of microseconds) ran dry between bursts. On a paced WAN path the ACKs follow the bottleneck and the allowance stays
 * small. Bytes and nanoseconds; single-threaded; no allocation.
 */
final class AckAggregation {
    static final int WINDOW_ROUNDS = 10;
    /** The allowance never exceeds this much time at the bandwidth estimate (tcp_bbr.c's 100 ms). */
    static final long MAX_ALLOWANCE_NS = 100_000_000L;
    private static final double NS_PER_SECOND = 1e9;

    private final WindowedMaxFilter maxExtra = new WindowedMaxFilter(WINDOW_ROUNDS);
    private boolean started;
    private long epochStartNs;
    private long epochAckedBytes;

    /**
     * One datagram acknowledged {@code ackedBytes}.
     *
     * @param bandwidth the bottleneck bandwidth estimate in bytes per second (0: no estimate yet, nothing counted)
     * @param cwndBytes the current window: no sample exceeds it
     */
    void onAck(long nowNs, long round, long ackedBytes, long bandwidth, long cwndBytes) {
        if (ackedBytes <= 0 || bandwidth <= 0) {
            return;
        }
        long expectedBytes = started ? (long) (bandwidth * ((nowNs - epochStartNs) / NS_PER_SECOND)) : 0;
        if (!started || epochAckedBytes <= expectedBytes) {
            // The ACKs have fallen back to the bottleneck's pace: a new epoch starts with this one.
            started = true;
            epochStartNs = nowNs;
            epochAckedBytes = 0;
            expectedBytes = 0;
        }
        epochAckedBytes += ackedBytes;
        long extraBytes = Math.min(epochAckedBytes - expectedBytes, cwndBytes);
        maxExtra.update(round, Math.max(0, extraBytes)); // every sample, so that old maxima age out of the window
    }

    /** The extra window in bytes: the largest excess of recent rounds, at most 100 ms at {@code bandwidth}. */
    long allowanceBytes(long bandwidth) {
        return Math.min(maxExtra.best(), (long) (bandwidth * (MAX_ALLOWANCE_NS / NS_PER_SECOND)));
    }
}
