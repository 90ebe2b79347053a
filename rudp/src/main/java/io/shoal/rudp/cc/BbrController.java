package io.shoal.rudp.cc;

/**
 * BBR-style congestion control with the shape of BBRv1 (draft-cardwell-iccrg-bbr-congestion-control-00, Linux
 * {@code tcp_bbr.c}, quinn's {@code congestion/bbr}): a model of the path, not a reaction to loss.
 *
 * <p>The model is two numbers: the bottleneck bandwidth, the maximum delivery rate of the last
 * {@value #BW_WINDOW_ROUNDS} round trips ({@link RateSample#deliveryRateBytesPerSecond()}; an application-limited
 * sample counts only if it raises the estimate), and the propagation delay, the minimum RTT of the last 10 s.
 * From them: pacing rate = {@code pacing_gain * btlbw} bytes per second, and congestion window =
 * {@code cwnd_gain * btlbw * minRtt} plus {@value #QUANTUM_SEGMENTS} segments, never below
 * {@value #MIN_CWND_SEGMENTS} segments nor above the send window. Round trips are counted with
 * {@link RateSample#totalDeliveredBytes}: a round ends when a segment sent after the previous round ended is
 * acknowledged.
 *
 * <p>States: STARTUP (gains 2/ln 2) until three rounds fail to raise the bandwidth by 25%; DRAIN (pacing gain
 * ln 2 / 2) until in-flight data falls to one BDP; PROBE_BW, cycling the pacing gain through
 * 1.25, 0.75, 1, 1, 1, 1, 1, 1 with phases of one min RTT; PROBE_RTT when the min RTT was not refreshed for 10 s:
 * cwnd {@value #MIN_CWND_SEGMENTS} segments for 200 ms and one round, then back.
 *
 * <p>Loss does not lower the bandwidth estimate or the pacing rate, so a link with a few percent of random loss
 * stays full. Fast retransmits change nothing, nor do timeouts while ACKs keep arriving. A timeout after no ACK at
 * all for two min RTTs (and at least 100 ms) means the path looks dead, not merely lossy: cwnd drops to the
 * minimum, then conserves packets ({@code cwnd >= in flight + acked}) for one round once ACKs return, and the
 * previous window is restored.
 *
 * <p>Before any bandwidth sample the window is {@value #INITIAL_CWND_SEGMENTS} segments and the pacing rate is
 * {@code 2/ln 2 * initial window / RTT} ({@link CcParams#initialRttNs()} until a sample arrives). Single-threaded;
 * no allocation on any hook.
 */
final class BbrController implements CongestionController {
    /** STARTUP gain 2/ln 2: the smallest that doubles the sending rate each round (draft 4.3.2.1). */
    static final double HIGH_GAIN = 2 / Math.log(2);
    static final double DRAIN_GAIN = 1 / HIGH_GAIN;
    static final double CWND_GAIN = 2.0;
    static final double[] PACING_GAIN_CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    static final int BW_WINDOW_ROUNDS = 10;
    static final long MIN_RTT_WINDOW_NS = 10_000_000_000L;
    static final long PROBE_RTT_DURATION_NS = 200_000_000L;
    static final int MIN_CWND_SEGMENTS = 4;
    static final int INITIAL_CWND_SEGMENTS = 32;
    /** Headroom for ACK aggregation and delayed ACKs (tcp_bbr.c's 3 * send quantum). */
    static final int QUANTUM_SEGMENTS = 3;
    /**
     * DRAIN ends after this many min RTTs even if in-flight data has not fallen to one BDP. KCP counts a lost
     * segment as in flight until it is retransmitted and acknowledged, so after STARTUP's losses in-flight data can
     * stay above a BDP while the path is already empty; pacing at ln 2 / 2 meanwhile would starve the bandwidth
     * filter. STARTUP's queue (at most 1.9 BDP) drains in about three RTTs at that gain.
     */
    static final int MAX_DRAIN_MIN_RTTS = 4;
    /** A timeout after this much silence (at least {@link #BLACKOUT_MIN_NS}) means a dead path, not loss. */
    private static final int BLACKOUT_MIN_RTTS = 2;
    private static final long BLACKOUT_MIN_NS = 100_000_000L;
    /** Pacing is raised by at most this factor to make up for random loss (20 % loss). */
    static final double MAX_LOSS_COMPENSATION = 1.25;
    private static final double RATIO_SMOOTHING = 0.125;
    private static final int MIN_RATIO_SEGMENTS = 16;
    private static final double FULL_BW_GROWTH = 1.25;
    private static final int FULL_BW_ROUNDS = 3;
    private static final long FALLBACK_RTT_NS = 100_000_000L;
    private static final long NO_RTT = Long.MAX_VALUE;
    /** KCP's timestamp echo counts whole milliseconds: an echoed RTT may read up to this much low. */
    private static final long ECHO_GRANULARITY_NS = 1_000_000L;
    private static final double NS_PER_SECOND = 1e9;

    /** BBR's states, in the order a connection normally meets them. */
    enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    private final int mss;
    private final long maxCwndBytes;
    private final long initialCwndBytes;
    private final long initialRttNs;
    private final WindowedMaxFilter maxBandwidth = new WindowedMaxFilter(BW_WINDOW_ROUNDS);
    private final SendSpanTracker span;
    private long random;

    private Mode mode = Mode.STARTUP;
    private double pacingGain = HIGH_GAIN;
    private double cwndGain = HIGH_GAIN;
    private long cwndBytes;
    private long priorCwndBytes;
    private long pacingRateBytesPerSecond;
    private int inflightSegments;

    private long minRttNs = NO_RTT;
    /** The last RTT from the timestamp echo in this datagram ({@link #onRttSample}), or -1. */
    private long echoRttNs = -1;
    private long minRttStampNs;
    private boolean minRttExpired;

    private long roundCount;
    private long nextRoundDeliveredBytes;
    private boolean roundStart;
    private long totalDeliveredBytes;

    private boolean filledPipe;
    private long fullBandwidth;
    private int fullBandwidthRounds;

    private int cycleIndex;
    private long cycleStartNs;

    private long drainStartNs;
    private long probeRttStartNs;
    private boolean probeRttDoneTimerSet;
    private long probeRttDoneNs;
    private boolean probeRttRoundDone;

    /** Payload bytes sent (first sends and resends) and delivered in the current round. */
    private long roundSentBytes;
    private long roundStartDeliveredBytes;
    /** Smoothed share of sent bytes that were delivered, per round: 1 on a clean path. */
    private double deliveryRatio = 1.0;
    /** The smallest echoed RTT of the current and of the last round: queueing delay is this minus the min RTT. */
    private long roundMinRttNs = NO_RTT;
    private long lastRoundMinRttNs = NO_RTT;

    private long lastAckNs = Long.MIN_VALUE;
    private boolean collapsedByTimeout;
    private boolean conserving;
    private long conservationEndRound;

    /** A controller whose PROBE_BW phase is chosen from a fixed seed, so runs are reproducible. */
    BbrController(CcParams params) {
        this(params, 0x9E3779B97F4A7C15L);
    }

    /**
     * @param seed picks the first PROBE_BW phase, so that flows sharing a bottleneck do not probe in lockstep;
     *             connections should pass different seeds
     */
    BbrController(CcParams params, long seed) {
        this.mss = params.mss();
        this.span = new SendSpanTracker(mss);
        this.maxCwndBytes = (long) params.sendWindowSegments() * mss;
        this.initialCwndBytes = Math.min((long) INITIAL_CWND_SEGMENTS * mss, maxCwndBytes);
        this.initialRttNs = params.initialRttNs() > 0 ? params.initialRttNs() : FALLBACK_RTT_NS;
        this.random = seed == 0 ? 1 : seed;
        this.cwndBytes = initialCwndBytes;
        this.pacingRateBytesPerSecond = rateFromWindow(HIGH_GAIN, initialCwndBytes, initialRttNs);
    }

    @Override
    public String name() {
        return "bbr";
    }

    @Override
    public int cwndSegments() {
        long segments = (cwndBytes + mss - 1) / mss;
        return (int) Math.min(segments, maxCwndBytes / mss);
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return pacingRateBytesPerSecond;
    }

    @Override
    public void onSent(long nowNs, int bytes, int inflightSegments, boolean retransmit) {
        this.inflightSegments = inflightSegments;
        roundSentBytes += bytes;
        span.onSent(inflightSegments, retransmit);
    }

    @Override
    public void onRttSample(long nowNs, long rttNs) {
        // The echo is unambiguous even for retransmitted segments (kcp.md 1.3), but a sub-millisecond RTT reads 0:
        // then only the rate sample's nanosecond RTT, checked against it in onAck, can set the minimum.
        echoRttNs = rttNs;
        if (rttNs > 0) {
            roundMinRttNs = Math.min(roundMinRttNs, rttNs);
        }
        // Any ACK proves the path alive, even one that does not advance una (onAck is only called when una moves,
        // and under loss una can stall for an RTT or more while ACKs keep arriving).
        lastAckNs = nowNs;
        observeRtt(nowNs, rttNs);
    }

    @Override
    public void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments,
                      int remoteWindowSegments, RateSample sample) {
        span.onAck(ackedSegments, ackedBytes, priorInflightSegments);
        inflightSegments = span.bufferedSegments();
        lastAckNs = nowNs;
        long priorInflightBytes = (long) priorInflightSegments * mss;
        updateRound(sample);
        updateBandwidth(sample);
        // The rate sample's RTT is finer than the echo but ambiguous when the segment was retransmitted (the ACK
        // of the first copy then looks like a very short RTT): take it only when the echo agrees.
        if (sample != null && sample.rttNs > 0 && echoRttNs >= 0 && sample.rttNs + ECHO_GRANULARITY_NS >= echoRttNs) {
            observeRtt(nowNs, sample.rttNs);
        }
        echoRttNs = -1;
        updateCyclePhase(nowNs, priorInflightBytes, sample != null && sample.lostSegments > 0);
        checkFullPipe(sample);
        checkDrain(nowNs);
        checkProbeRtt(nowNs);
        updatePacingRate();
        updateCwnd(Math.max(0, ackedSegments));
    }

    @Override
    public void onFastRetransmit(long nowNs, int segments, int inflightSegments) {
        // Deliberately nothing: random loss says little about the bottleneck, and BBR's rate is its model's.
    }

    @Override
    public void onRetransmitTimeout(long nowNs, int inflightSegments) {
        long silenceNs = Math.max(BLACKOUT_MIN_RTTS * effectiveMinRttNs(), BLACKOUT_MIN_NS);
        if (!collapsedByTimeout && lastAckNs != Long.MIN_VALUE && nowNs - lastAckNs > silenceNs) {
            // No ACK at all for several RTTs: the path is black-holed, not lossy. Stop adding data.
            priorCwndBytes = Math.max(priorCwndBytes, cwndBytes);
            cwndBytes = (long) MIN_CWND_SEGMENTS * mss;
            collapsedByTimeout = true;
        }
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
            updateDeliveryRatio();
        }
    }

    /** At each round start: fold the last round's delivered/sent ratio into {@link #deliveryRatio}. */
    private void updateDeliveryRatio() {
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

    private void updateCyclePhase(long nowNs, long priorInflightBytes, boolean lost) {
        if (mode != Mode.PROBE_BW) {
            return;
        }
        boolean phaseOver = nowNs - cycleStartNs > effectiveMinRttNs();
        boolean advance;
        if (pacingGain > 1) {
            // Probe until the extra quarter is in flight, or loss says the queue is full.
            advance = phaseOver && (lost || priorInflightBytes >= inflightTargetBytes(pacingGain));
        } else if (pacingGain < 1) {
            // Drain the probe's queue: stop early once in flight is back to one BDP.
            advance = phaseOver || priorInflightBytes <= inflightTargetBytes(1.0);
        } else {
            advance = phaseOver;
        }
        if (advance) {
            advanceCycle(nowNs);
        }
    }

    private void advanceCycle(long nowNs) {
        cycleIndex = (cycleIndex + 1) % PACING_GAIN_CYCLE.length;
        cycleStartNs = nowNs;
        pacingGain = PACING_GAIN_CYCLE[cycleIndex];
    }

    private void checkFullPipe(RateSample sample) {
        if (filledPipe || !roundStart || sample == null || sample.appLimited) {
            return;
        }
        long bandwidth = maxBandwidth.best();
        if (bandwidth >= fullBandwidth * FULL_BW_GROWTH) {
            fullBandwidth = bandwidth;
            fullBandwidthRounds = 0;
            return;
        }
        if (++fullBandwidthRounds >= FULL_BW_ROUNDS) {
            filledPipe = true;
        }
    }

    private void checkDrain(long nowNs) {
        if (mode == Mode.STARTUP && filledPipe) {
            mode = Mode.DRAIN;
            pacingGain = DRAIN_GAIN;
            cwndGain = HIGH_GAIN;
            drainStartNs = nowNs;
        }
        if (mode == Mode.DRAIN && ((long) inflightSegments * mss <= inflightTargetBytes(1.0)
                || nowNs - drainStartNs >= MAX_DRAIN_MIN_RTTS * effectiveMinRttNs())) {
            enterProbeBw(nowNs);
        }
    }

    private void enterProbeBw(long nowNs) {
        mode = Mode.PROBE_BW;
        cwndGain = CWND_GAIN;
        // tcp_bbr.c: start anywhere but the 0.75 phase (index 1), so draining right after DRAIN is avoided.
        cycleIndex = PACING_GAIN_CYCLE.length - 1 - nextRandom(PACING_GAIN_CYCLE.length - 1);
        advanceCycle(nowNs);
    }

    private void checkProbeRtt(long nowNs) {
        if (minRttExpired && mode != Mode.PROBE_RTT) {
            mode = Mode.PROBE_RTT;
            pacingGain = 1;
            cwndGain = 1;
            priorCwndBytes = Math.max(priorCwndBytes, cwndBytes);
            probeRttDoneTimerSet = false;
            probeRttStartNs = nowNs;
        }
        minRttExpired = false;
        if (mode != Mode.PROBE_RTT) {
            return;
        }
        if (!probeRttDoneTimerSet) {
            // As for DRAIN, KCP's in-flight count may include lost segments: stop waiting after one probe duration.
            if (inflightSegments <= MIN_CWND_SEGMENTS || nowNs - probeRttStartNs >= PROBE_RTT_DURATION_NS) {
                probeRttDoneTimerSet = true;
                probeRttDoneNs = nowNs + PROBE_RTT_DURATION_NS;
                probeRttRoundDone = false;
                nextRoundDeliveredBytes = totalDeliveredBytes;
            }
            return;
        }
        if (roundStart) {
            probeRttRoundDone = true;
        }
        if (probeRttRoundDone && nowNs - probeRttDoneNs >= 0) {
            minRttStampNs = nowNs; // the drained path was measured: the min RTT is fresh for another window
            cwndBytes = Math.max(cwndBytes, priorCwndBytes);
            priorCwndBytes = 0;
            if (filledPipe) {
                enterProbeBw(nowNs);
            } else {
                mode = Mode.STARTUP;
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
            }
        }
    }

    private void updatePacingRate() {
        long bandwidth = maxBandwidth.best();
        if (bandwidth == 0) {
            long rttNs = minRttNs != NO_RTT ? minRttNs : initialRttNs;
            pacingRateBytesPerSecond = Math.max(pacingRateBytesPerSecond,
                    rateFromWindow(HIGH_GAIN, initialCwndBytes, rttNs));
            return;
        }
        // Random loss before the bottleneck: of what is paced out only deliveryRatio arrives, so pacing at the
        // delivery rate would leave the link short by the loss rate. Send enough that the delivered rate matches the
        // model, up to MAX_LOSS_COMPENSATION; only once the pipe is full (STARTUP's gain already overshoots).
        // A queue says the link is already full: then loss may be the queue's own, and compensating would only grow it.
        boolean queueEmpty = lastRoundMinRttNs <= effectiveMinRttNs() + effectiveMinRttNs() / 8 + ECHO_GRANULARITY_NS;
        double compensation = filledPipe && queueEmpty ? Math.min(1 / deliveryRatio, MAX_LOSS_COMPENSATION) : 1.0;
        long rate = (long) (pacingGain * compensation * bandwidth);
        // In STARTUP a low sample must not slow the ramp (tcp_bbr.c bbr_set_pacing_rate).
        if (filledPipe || rate > pacingRateBytesPerSecond) {
            pacingRateBytesPerSecond = Math.max(1, rate);
        }
    }

    private void updateCwnd(int ackedSegments) {
        long ackedBytes = (long) ackedSegments * mss;
        if (collapsedByTimeout) {
            // ACKs are back after a black-out: conserve packets for one round, then restore (tcp_bbr.c recovery).
            collapsedByTimeout = false;
            conserving = true;
            conservationEndRound = roundCount + 1;
        }
        if (conserving) {
            cwndBytes = Math.max(cwndBytes, (long) inflightSegments * mss + ackedBytes);
            if (roundCount >= conservationEndRound) {
                conserving = false;
                cwndBytes = Math.max(cwndBytes, priorCwndBytes);
                priorCwndBytes = 0;
            }
        } else {
            long targetBytes = inflightTargetBytes(cwndGain);
            if (filledPipe) {
                cwndBytes = Math.min(cwndBytes + ackedBytes, targetBytes);
            } else if (cwndBytes < targetBytes || totalDeliveredBytes < initialCwndBytes) {
                cwndBytes += ackedBytes;
            }
        }
        cwndBytes = Math.min(Math.max(cwndBytes, (long) MIN_CWND_SEGMENTS * mss), maxCwndBytes);
        if (mode == Mode.PROBE_RTT) {
            cwndBytes = Math.min(cwndBytes, (long) MIN_CWND_SEGMENTS * mss);
        }
    }

    /** {@code gain * BDP + quantum} in bytes; the initial window while the model has no bandwidth yet. */
    private long inflightTargetBytes(double gain) {
        long bandwidth = maxBandwidth.best();
        if (bandwidth == 0) {
            return initialCwndBytes;
        }
        double bdpBytes = bandwidth * (effectiveMinRttNs() / NS_PER_SECOND);
        return (long) (gain * bdpBytes) + (long) QUANTUM_SEGMENTS * mss;
    }

    private long effectiveMinRttNs() {
        return minRttNs != NO_RTT ? minRttNs : initialRttNs;
    }

    private static long rateFromWindow(double gain, long windowBytes, long rttNs) {
        return Math.max(1, (long) (gain * windowBytes * NS_PER_SECOND / rttNs));
    }

    /** xorshift64: uniform enough in {@code [0, bound)} to pick a phase, and allocation-free. */
    private int nextRandom(int bound) {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        return (int) Math.floorMod(random, (long) bound);
    }

    Mode mode() {
        return mode;
    }

    double pacingGain() {
        return pacingGain;
    }

    double cwndGain() {
        return cwndGain;
    }

    long bottleneckBandwidthBytesPerSecond() {
        return maxBandwidth.best();
    }

    long minRttNs() {
        return minRttNs;
    }

    long roundCount() {
        return roundCount;
    }

    boolean filledPipe() {
        return filledPipe;
    }
}
