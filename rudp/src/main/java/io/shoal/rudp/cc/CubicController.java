package io.shoal.rudp.cc;

/**
 * CUBIC congestion control per RFC 9438, with a paced send rate.
 *
 * <p>The window is kept in bytes (a double, so the sub-segment increments of congestion avoidance accumulate) and
 * handed to the engine as {@code floor(cwnd / mss)} segments, never below {@value #MIN_WINDOW_SEGMENTS} and never
 * above the configured send window. Time is in nanoseconds; the cubic function itself runs in seconds and segments,
 * as the RFC writes it.
 *
 * <ul>
 *   <li>slow start from {@value #INITIAL_WINDOW_SEGMENTS} segments (RFC 6928), +1 segment per segment acknowledged
 *       by {@code una}, the initial one left early when the round's minimum RTT rises by
 *       {@code clamp(minRtt/8, 4 ms, 16 ms)} (the delay test of HyStart++, RFC 9406 4.3, without its conservative
 *       phase);</li>
 *   <li>congestion avoidance: {@code W_cubic(t) = C (t - K)^3 + W_max} with C = 0.4, aiming at
 *       {@code W_cubic(t + RTT)} clamped to {@code [cwnd, 1.5 cwnd]} (RFC 9438 4.2, 4.4, 4.5), and the Reno-friendly
 *       estimate {@code W_est} (4.3) as a floor;</li>
 *   <li>fast retransmit: one multiplicative decrease by beta = 0.7 per recovery epoch, with fast convergence (4.6,
 *       4.7). The epoch lasts until every segment sent before the cut is acknowledged (RFC 6582's {@code recover}),
 *       so losses of those segments do not cut again; the window does not grow during the epoch;</li>
 *   <li>retransmission timeout: ssthresh and W_max are set as for a loss from {@code max(cwnd, flight size)} (RFC
 *       5681 3.1; unless an epoch already did), then the window collapses to {@value #MIN_WINDOW_SEGMENTS}
 *       segments and slow start resumes (4.8).</li>
 * </ul>
 *
 * <p>The window grows only while it is being used (RFC 9438 5.8 / RFC 7661): an ACK grows it when at least half of
 * it was in flight. Pacing rate is {@code gain * cwnd / srtt} with gain 2 in slow start and 1.25 after, as Linux
 * paces CUBIC, so a window leaves spread over the RTT instead of as one burst.
 *
 * <p>Single-threaded; no allocation on any hook.
 */
final class CubicController implements CongestionController {
    static final double C = 0.4;
    static final double BETA = 0.7;
    /** RFC 9438 4.3: alpha_cubic = 3 (1 - beta) / (1 + beta), so CUBIC is as aggressive as Reno on average. */
    static final double ALPHA_RENO_FRIENDLY = 3 * (1 - BETA) / (1 + BETA);
    static final int MIN_WINDOW_SEGMENTS = 2;
    static final int INITIAL_WINDOW_SEGMENTS = 10;
    static final double SLOW_START_PACING_GAIN = 2.0;
    static final double PACING_GAIN = 1.25;

    private static final long NS_PER_MS = 1_000_000L;
    private static final double NS_PER_SECOND = 1e9;
    private static final long FALLBACK_RTT_NS = 100 * NS_PER_MS;
    /** HyStart++ (RFC 9406 4.3): samples per round before the delay test, and the clamp on its threshold. */
    private static final int HYSTART_MIN_RTT_SAMPLES = 8;
    private static final long HYSTART_MIN_ETA_NS = 4 * NS_PER_MS;
    private static final long HYSTART_MAX_ETA_NS = 16 * NS_PER_MS;
    private static final long NO_RTT = Long.MAX_VALUE;

    private final int mss;
    private final double maxCwndBytes;
    private final long initialRttNs;

    private double cwndBytes;
    private double ssthreshBytes = Double.POSITIVE_INFINITY;
    /** W_max: the window just before the last reduction (after fast convergence), in bytes. */
    private double wMaxBytes;
    /** cwnd_prior: the window before the last reduction; W_est switches to alpha = 1 once it reaches this. */
    private double cwndPriorBytes;
    /** W_est, the Reno-friendly window estimate, in bytes. */
    private double wEstBytes;
    private double kSeconds;
    private boolean inEpoch;
    private long epochStartNs;

    private final SendSpanTracker span;
    private boolean inRecovery;
    private boolean recoveryFromTimeout;
    private long recoverSegments;

    private long srttNs;

    /** The state before the last timeout's reduction, restored if that timeout proves spurious (RFC 4015). */
    private boolean undoValid;
    private double undoCwndBytes;
    private double undoSsthreshBytes;
    private double undoWMaxBytes;
    private double undoCwndPriorBytes;

    private long roundEndSegments;
    private long lastRoundMinRttNs = NO_RTT;
    private long roundMinRttNs = NO_RTT;
    private int roundRttSamples;

    CubicController(CcParams params) {
        this.mss = params.mss();
        this.span = new SendSpanTracker(mss);
        this.maxCwndBytes = (double) params.sendWindowSegments() * mss;
        this.initialRttNs = params.initialRttNs() > 0 ? params.initialRttNs() : FALLBACK_RTT_NS;
        this.cwndBytes = Math.min((double) INITIAL_WINDOW_SEGMENTS * mss, maxCwndBytes);
    }

    @Override
    public String name() {
        return "cubic";
    }

    @Override
    public int cwndSegments() {
        long segments = Math.max((long) (cwndBytes / mss), MIN_WINDOW_SEGMENTS);
        return (int) Math.max(1, Math.min(segments, (long) (maxCwndBytes / mss)));
    }

    @Override
    public long pacingRateBytesPerSecond() {
        long rttNs = srttNs > 0 ? srttNs : initialRttNs;
        double gain = inSlowStart() ? SLOW_START_PACING_GAIN : PACING_GAIN;
        double windowBytes = Math.max(cwndBytes, (double) MIN_WINDOW_SEGMENTS * mss);
        double rate = gain * windowBytes * NS_PER_SECOND / rttNs;
        return rate >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) rate);
    }

    @Override
    public void onSent(long nowNs, int bytes, int inflightSegments, boolean retransmit) {
        span.onSent(inflightSegments, retransmit);
    }

    @Override
    public void onRttSample(long nowNs, long rttNs) {
        // KCP timestamps are milliseconds, so a LAN RTT can read 0: keep 1 µs so rates stay finite.
        long rtt = Math.max(rttNs, 1_000L);
        srttNs = srttNs == 0 ? rtt : (7 * srttNs + rtt) / 8; // RFC 6298 2.3, alpha = 1/8
        // HyStart++ runs in the initial slow start only (RFC 9406 4.2), not in the one after a timeout: there the RTT
        // of the round that overflowed the queue would end slow start at once, at a window of two segments.
        if (inSlowStart() && ssthreshBytes == Double.POSITIVE_INFINITY) {
            roundMinRttNs = Math.min(roundMinRttNs, rtt);
            roundRttSamples++;
            checkHyStartExit();
        }
    }

    @Override
    public void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments,
                      int remoteWindowSegments, RateSample sample) {
        if (ackedSegments <= 0) {
            return;
        }
        span.onAck(ackedSegments, ackedBytes, priorInflightSegments);
        if (inRecovery && span.ackedSegments() >= recoverSegments) {
            inRecovery = false;
        }
        // RFC 9406: a round ends when the first segment sent after it began (number roundEndSegments) is acked.
        if (span.ackedSegments() > roundEndSegments) {
            lastRoundMinRttNs = roundMinRttNs;
            roundMinRttNs = NO_RTT;
            roundRttSamples = 0;
            roundEndSegments = span.sentSegments();
        }
        boolean frozenByFastRecovery = inRecovery && !recoveryFromTimeout;
        boolean windowLimited = 2.0 * priorInflightSegments * mss >= cwndBytes;
        if (frozenByFastRecovery || !windowLimited) {
            return;
        }
        if (inSlowStart()) {
            cwndBytes = Math.min(cwndBytes + (double) ackedSegments * mss, maxCwndBytes);
        } else {
            congestionAvoidance(nowNs, ackedSegments);
        }
    }

    private void congestionAvoidance(long nowNs, int acked) {
        if (!inEpoch) {
            startEpoch(nowNs);
        }
        double tSeconds = (nowNs - epochStartNs) / NS_PER_SECOND;
        double rttSeconds = (srttNs > 0 ? srttNs : initialRttNs) / NS_PER_SECOND;
        double ackedBytes = (double) acked * mss;

        // RFC 9438 4.3: W_est grows like Reno scaled by alpha; alpha becomes 1 once W_est reaches cwnd_prior.
        double alpha = wEstBytes >= cwndPriorBytes ? 1.0 : ALPHA_RENO_FRIENDLY;
        wEstBytes += alpha * ackedBytes * mss / cwndBytes;

        if (cubicWindowBytes(tSeconds) < wEstBytes) {
            cwndBytes = Math.max(cwndBytes, wEstBytes); // Reno-friendly region (4.3)
        } else {
            // Concave and convex regions (4.4, 4.5): per segment acked, cwnd += (target - cwnd) / cwnd.
            double target = cubicWindowBytes(tSeconds + rttSeconds);
            target = Math.max(cwndBytes, Math.min(target, 1.5 * cwndBytes));
            cwndBytes += ackedBytes * (target - cwndBytes) / cwndBytes;
        }
        cwndBytes = Math.min(cwndBytes, maxCwndBytes);
    }

    private void startEpoch(long nowNs) {
        inEpoch = true;
        epochStartNs = nowNs;
        if (wMaxBytes <= cwndBytes) {
            // Left slow start without a loss, or already above the old maximum: the plateau is here (K = 0).
            wMaxBytes = cwndBytes;
            kSeconds = 0;
        } else {
            kSeconds = Math.cbrt((wMaxBytes - cwndBytes) / mss / C); // RFC 9438 eq. 2, in segments
        }
        wEstBytes = cwndBytes;
    }

    /** RFC 9438 eq. 1 in bytes: {@code mss * (C (t - K)^3 + W_max / mss)}. */
    private double cubicWindowBytes(double tSeconds) {
        double d = tSeconds - kSeconds;
        return mss * C * d * d * d + wMaxBytes;
    }

    @Override
    public void onFastRetransmit(long nowNs, int segments, int inflightSegments) {
        if (inRecovery) {
            return; // the segments resent were sent before the last cut: one decrease per epoch
        }
        multiplicativeDecrease();
        cwndBytes = ssthreshBytes;
        enterRecovery(false);
        undoValid = false; // a later real cut: restoring the pre-timeout state would undo it too
    }

    @Override
    public void onRetransmitTimeout(long nowNs, int inflightSegments) {
        if (!inRecovery || !recoveryFromTimeout) {
            undoValid = true;
            undoCwndBytes = cwndBytes;
            undoSsthreshBytes = ssthreshBytes;
            undoWMaxBytes = wMaxBytes;
            undoCwndPriorBytes = cwndPriorBytes;
        }
        if (!inRecovery) {
            // RFC 5681 3.1 sets ssthresh from the flight size, not cwnd: after an earlier collapse cwnd may be 2 while
            // KCP, which resends on per-segment timers regardless of cwnd, still has a full window out. Cutting from
            // cwnd would pin ssthresh at the minimum and leave the rest of the transfer in slow linear growth.
            cwndBytes = Math.max(cwndBytes, Math.min((double) inflightSegments * mss, maxCwndBytes));
            multiplicativeDecrease();
        }
        cwndBytes = (double) MIN_WINDOW_SEGMENTS * mss;
        enterRecovery(true);
    }

    /**
     * RFC 4015 3.2 for a spurious timeout: restore cwnd and ssthresh (and CUBIC's W_max, cwnd_prior) to what they were
     * before it and leave recovery. A spurious fast retransmit is left alone: its epoch may hold real losses too.
     */
    @Override
    public void onSpuriousRetransmit(long nowNs, boolean afterTimeout) {
        if (!afterTimeout || !undoValid) {
            return;
        }
        undoValid = false;
        cwndBytes = Math.max(cwndBytes, undoCwndBytes);
        ssthreshBytes = undoSsthreshBytes;
        wMaxBytes = undoWMaxBytes;
        cwndPriorBytes = undoCwndPriorBytes;
        inRecovery = false;
        inEpoch = false;
    }

    private void multiplicativeDecrease() {
        // Fast convergence (4.7): a flow that lost below its previous maximum releases bandwidth to newer flows.
        wMaxBytes = cwndBytes < wMaxBytes ? cwndBytes * (1 + BETA) / 2 : cwndBytes;
        cwndPriorBytes = cwndBytes;
        ssthreshBytes = Math.max(cwndBytes * BETA, (double) MIN_WINDOW_SEGMENTS * mss);
        inEpoch = false;
    }

    private void enterRecovery(boolean fromTimeout) {
        inEpoch = false;
        inRecovery = true;
        recoveryFromTimeout = fromTimeout;
        recoverSegments = span.sentSegments();
    }

    private void checkHyStartExit() {
        if (roundRttSamples < HYSTART_MIN_RTT_SAMPLES || lastRoundMinRttNs == NO_RTT) {
            return;
        }
        long etaNs = Math.max(HYSTART_MIN_ETA_NS, Math.min(HYSTART_MAX_ETA_NS, lastRoundMinRttNs / 8));
        if (roundMinRttNs >= lastRoundMinRttNs + etaNs) {
            ssthreshBytes = cwndBytes; // the queue is building: stop doubling before it overflows
        }
    }

    boolean inSlowStart() {
        return cwndBytes < ssthreshBytes;
    }

    boolean inRecovery() {
        return inRecovery;
    }

    double cwndBytes() {
        return cwndBytes;
    }

    double ssthreshBytes() {
        return ssthreshBytes;
    }

    double wMaxBytes() {
        return wMaxBytes;
    }

    double kSeconds() {
        return kSeconds;
    }

    long srttNs() {
        return srttNs;
    }
}
