package io.shoal.rudp.cc;

/**
 * The path model behind {@link BbrController}: what BBR measures, with no state machine and no gains.
 *
 * <ul>
 *   <li>bottleneck bandwidth: the maximum delivery rate of the last {@value #BW_WINDOW_ROUNDS} round trips, in
 *       payload bytes per second ({@link RateSample#deliveryRateBytesPerSecond()}; an application-limited sample
 *       counts only if it raises the estimate, a sample over less than the min RTT never);</li>
 *   <li>propagation delay: the minimum RTT of the last 10 s, in nanoseconds, from the timestamp echo and from the
 *       rate sample's finer RTT when the echo agrees;</li>
 *   <li>round trips, counted with {@link RateSample#totalDeliveredBytes}: a round ends when a segment sent after the
 *       previous round ended is acknowledged (draft-cheng P.delivered);</li>
 *   <li>per round, the share of sent payload bytes that was delivered (smoothed; 1 on a clean path) and the smallest
 *       echoed RTT, whose excess over the min RTT is the queueing delay the last round saw.</li>
 * </ul>
 * Single-threaded; no allocation.
 */
final class BbrModel {
    static final int BW_WINDOW_ROUNDS = 10;
    static final long MIN_RTT_WINDOW_NS = 10_000_000_000L;
    /** KCP's timestamp echo counts whole milliseconds: an echoed RTT may read up to this much low. */
    static final long ECHO_GRANULARITY_NS = 1_000_000L;
    static final long NO_RTT = Long.MAX_VALUE;
    private static final double RATIO_SMOOTHING = 0.125;
    /** A round with fewer segments sent says too little about the loss rate to move the ratio. */
    private static final int MIN_RATIO_SEGMENTS = 16;
    private static final double NS_PER_SECOND = 1e9;

    private final int mss;
    private final long initialRttNs;
    private final WindowedMaxFilter maxBandwidth = new WindowedMaxFilter(BW_WINDOW_ROUNDS);

    private long minRttNs = NO_RTT;
    private long minRttStampNs;
    private boolean minRttExpired;
    /** The last RTT from the timestamp echo in this datagram ({@link #onRttSample}), or -1. */
    private long echoRttNs = -1;

    private long roundCount;
    private long nextRoundDeliveredBytes;
    private boolean roundStart;
    private long totalDeliveredBytes;

    private long roundSentBytes;
    private long roundStartDeliveredBytes;
    private double deliveryRatio = 1.0;
    private long roundMinRttNs = NO_RTT;
    private long lastRoundMinRttNs = NO_RTT;

    BbrModel(int mss, long initialRttNs) {
        this.mss = mss;
        this.initialRttNs = initialRttNs;
    }

    /** A segment (first send or resend) of {@code bytes} payload bytes left. */
    void onSent(int bytes) {
        roundSentBytes += bytes;
    }

    /** One timestamp-echo RTT sample. */
    void onRttSample(long nowNs, long rttNs) {
        // The echo is unambiguous even for retransmitted segments (kcp.md 1.3), but a sub-millisecond RTT reads 0:
        // then only the rate sample's nanosecond RTT, checked against it in onAck, can set the minimum.
        echoRttNs = rttNs;
        if (rttNs > 0) {
            roundMinRttNs = Math.min(roundMinRttNs, rttNs);
        }
        observeRtt(nowNs, rttNs);
    }

    /** One input datagram acknowledged new data; {@code sample} may be null (nothing unambiguous acknowledged). */
    void onAck(long nowNs, RateSample sample) {
        updateRound(sample);
        updateBandwidth(sample);
        // The rate sample's RTT is finer than the echo but ambiguous when the segment was retransmitted (the ACK
        // of the first copy then looks like a very short RTT): take it only when the echo agrees.
        if (sample != null && sample.rttNs > 0 && echoRttNs >= 0 && sample.rttNs + ECHO_GRANULARITY_NS >= echoRttNs) {
            observeRtt(nowNs, sample.rttNs);
        }
        echoRttNs = -1;
    }

    private void updateRound(RateSample sample) {
        roundStart = false;
        if (sample == null || sample.deliveredBytes <= 0) {
            return;
        }
        totalDeliveredBytes = Math.max(totalDeliveredBytes, sample.totalDeliveredBytes);
        // The sampled segment was sent when the connection had delivered this much (draft-cheng P.delivered).
        long priorDeliveredBytes = sample.totalDeliveredBytes - sample.deliveredBytes;
        if (priorDeliveredBytes >= nextRoundDeliveredBytes) {
            nextRoundDeliveredBytes = totalDeliveredBytes;
            roundCount++;
            roundStart = true;
            endRoundStatistics();
        }
    }

    /** At each round start: fold the last round's delivered/sent ratio in, and keep its smallest RTT. */
    private void endRoundStatistics() {
        long delivered = totalDeliveredBytes - roundStartDeliveredBytes;
        if (roundSentBytes >= (long) MIN_RATIO_SEGMENTS * mss && delivered > 0) {
            double ratio = Math.min(1.0, (double) delivered / roundSentBytes);
            deliveryRatio += (ratio - deliveryRatio) * RATIO_SMOOTHING;
        }
        roundSentBytes = 0;
        roundStartDeliveredBytes = totalDeliveredBytes;
        lastRoundMinRttNs = roundMinRttNs;
        roundMinRttNs = NO_RTT;
    }

    private void updateBandwidth(RateSample sample) {
        if (sample == null) {
            return;
        }
        if (minRttNs != NO_RTT && sample.intervalNs < minRttNs) {
            // draft-cheng 3.3: an interval shorter than min RTT is unreliable (ACK compression, or the ACK of a
            // spuriously retransmitted segment), and would inflate the max filter for ten rounds.
            return;
        }
        long rate = sample.deliveryRateBytesPerSecond();
        // An app-limited sample measures the application, not the path: use it only if it raises the estimate.
        if (rate > 0 && (!sample.appLimited || rate >= maxBandwidth.best())) {
            maxBandwidth.update(roundCount, rate);
        }
    }

    private void observeRtt(long nowNs, long rttNs) {
        if (rttNs <= 0) {
            return;
        }
        boolean expired = minRttNs != NO_RTT && nowNs - minRttStampNs > MIN_RTT_WINDOW_NS;
        if (rttNs <= minRttNs || expired) {
            minRttNs = rttNs;
            minRttStampNs = nowNs;
        }
        if (expired) {
            minRttExpired = true; // PROBE_RTT is entered on the next ACK (draft 4.3.4.4)
        }
    }

    /** True once after the min RTT went unrefreshed for its whole window. */
    boolean takeMinRttExpired() {
        boolean r = minRttExpired;
        minRttExpired = false;
        return r;
    }

    /** PROBE_RTT measured a drained path: the min RTT is fresh for another window. */
    void refreshMinRttStamp(long nowNs) {
        minRttStampNs = nowNs;
    }

    /** Ends the current round at the next acknowledgement of data sent from now on. */
    void restartRound() {
        nextRoundDeliveredBytes = totalDeliveredBytes;
    }

    /** The bottleneck bandwidth in payload bytes per second; 0 before the first sample. */
    long bandwidth() {
        return maxBandwidth.best();
    }

    /** The min RTT, or {@link #NO_RTT} before any sample. */
    long minRttNs() {
        return minRttNs;
    }

    /** The min RTT, or the configured initial RTT before any sample. */
    long effectiveMinRttNs() {
        return minRttNs != NO_RTT ? minRttNs : initialRttNs;
    }

    /** {@code gain * bandwidth * minRtt} in bytes; 0 before the first bandwidth sample. */
    long bdpBytes(double gain) {
        return (long) (gain * maxBandwidth.best() * (effectiveMinRttNs() / NS_PER_SECOND));
    }

    /** True when the last {@link #onAck} began a new round. */
    boolean roundStart() {
        return roundStart;
    }

    long roundCount() {
        return roundCount;
    }

    long totalDeliveredBytes() {
        return totalDeliveredBytes;
    }

    /** Smoothed share of sent bytes delivered per round, in (0, 1]. */
    double deliveryRatio() {
        return deliveryRatio;
    }

    /**
     * True when even the last complete round's smallest RTT exceeded the min RTT by a quarter (plus the echo's
     * granularity): the bottleneck queue held at least a quarter of a BDP for that whole round.
     */
    boolean roundMetStandingQueue() {
        long base = effectiveMinRttNs();
        return lastRoundMinRttNs != NO_RTT && lastRoundMinRttNs > base + base / 4 + ECHO_GRANULARITY_NS;
    }

    /**
     * True when the last complete round's smallest RTT was within an eighth of the min RTT (plus the echo's
     * granularity) of it, i.e. the bottleneck queue was (nearly) empty at least once in that round.
     */
    boolean queueLooksEmpty() {
        long base = effectiveMinRttNs();
        return lastRoundMinRttNs <= base + base / 8 + ECHO_GRANULARITY_NS;
    }
}
