package io.shoal.rudp.cc;

/**
 * BBR-style congestion control with the shape of BBRv1 (draft-cardwell-iccrg-bbr-congestion-control-00, Linux
 * {@code tcp_bbr.c}, quinn's {@code congestion/bbr}): a model of the path, not a reaction to loss.
 *
 * <p>The model ({@link BbrModel}) is the bottleneck bandwidth (max delivery rate over 10 rounds) and the
 * propagation delay (min RTT over 10 s). This class is the state machine on top: pacing rate =
 * {@code pacing_gain * btlbw} bytes per second, and congestion window = {@code cwnd_gain * btlbw * minRtt} plus
 * {@value #QUANTA_IN_WINDOW} send quanta (a quantum is a millisecond at the bottleneck bandwidth, as {@link Pacer}
 * lets a millisecond at its rate leave back to back; {@value #MIN_QUANTUM_SEGMENTS} to
 * {@value #MAX_QUANTUM_SEGMENTS} segments), never below {@value #MIN_CWND_SEGMENTS} segments nor above the send
 * window.
 *
 * <p>States: STARTUP (gains 2/ln 2) until three rounds fail to raise the bandwidth by 25% (a round of
 * application-limited sends counts only if even its fastest RTT met a standing queue); DRAIN (pacing gain
 * ln 2 / 2) until in-flight data falls to one BDP; PROBE_BW, cycling the pacing gain through
 * 1.25, 0.75, 1, 1, 1, 1, 1, 1 with phases of one min RTT; PROBE_RTT when the min RTT was not refreshed for 10 s:
 * cwnd half a BDP (at least {@value #MIN_CWND_SEGMENTS} segments, as BBRv2 does; BBRv1's four segments emptied the
 * pipe and KCP then needed timeouts to recover the losses of that round) for 200 ms and one round, then back.
 *
 * <p>Loss does not lower the bandwidth estimate or the pacing rate, so a link with a few percent of random loss
 * stays full. Random loss ahead of the bottleneck would still leave it short by the loss rate (only what survives is
 * delivered and measured), so once the pipe is full, and while the last round saw an empty queue, pacing is raised
 * by {@code 1 / delivered-share} (at most {@value #MAX_LOSS_COMPENSATION}x). Fast retransmits change nothing, nor
 * do timeouts while ACKs keep arriving. A timeout after no ACK at all for two min RTTs (and at least 100 ms) means
 * the path looks dead, not merely lossy: cwnd drops to the minimum, then conserves packets
 * ({@code cwnd >= in flight + acked}) for one round once ACKs return, and the previous window is restored.
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
    static final long PROBE_RTT_DURATION_NS = 200_000_000L;
    static final int MIN_CWND_SEGMENTS = 4;
    static final double PROBE_RTT_CWND_GAIN = 0.5;
    static final int INITIAL_CWND_SEGMENTS = 32;
    /**
     * Send quanta the window holds beyond {@code cwnd_gain * BDP}: tcp_bbr.c's {@code bbr_quantization_budget},
     * "enough full-sized skbs in flight to utilize end systems". Its quantum ({@code bbr_tso_segs_goal}) is a
     * millisecond at the pacing rate, 2 to 127 segments; ours is the same at the bandwidth estimate. With a fixed
     * three segments instead, a loopback flow, whose min RTT (30-40 us) is far below the time the two event loops
     * take to turn a batch of datagrams into ACKs, had a window of little more than what {@link AckAggregation}
     * measured, and an encrypted flow, whose ACKs come spread out, stayed window-limited at about 400 KB.
     */
    static final int QUANTA_IN_WINDOW = 3;
    static final int MIN_QUANTUM_SEGMENTS = 2;
    static final int MAX_QUANTUM_SEGMENTS = 127;
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
    private static final long FALLBACK_RTT_NS = 100_000_000L;
    private static final double NS_PER_SECOND = 1e9;

    /** BBR's states, in the order a connection normally meets them. */
    enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    private final int mss;
    private final long maxCwndBytes;
    private final long initialCwndBytes;
    private final long initialRttNs;
    private final BbrModel model;
    private final SendSpanTracker span;
    private final AckAggregation aggregation = new AckAggregation();
    private long random;

    private Mode mode = Mode.STARTUP;
    private double pacingGain = HIGH_GAIN;
    private double cwndGain = HIGH_GAIN;
    private long cwndBytes;
    private long priorCwndBytes;
    private long pacingRateBytesPerSecond;
    private int inflightSegments;

    private final FullPipeDetector fullPipe = new FullPipeDetector();

    private int cycleIndex;
    private long cycleStartNs;

    private long drainStartNs;
    private long probeRttStartNs;
    private boolean probeRttDoneTimerSet;
    private long probeRttDoneNs;
    private boolean probeRttRoundDone;

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
        this.model = new BbrModel(mss, initialRttNs);
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
        model.onSent(bytes);
        span.onSent(inflightSegments, retransmit);
    }

    @Override
    public void onRttSample(long nowNs, long rttNs) {
        // Any ACK proves the path alive, even one that does not advance una (onAck is only called when una moves,
        // and under loss una can stall for an RTT or more while ACKs keep arriving).
        lastAckNs = nowNs;
        model.onRttSample(nowNs, rttNs);
    }

    @Override
    public void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments,
                      int remoteWindowSegments, RateSample sample) {
        span.onAck(ackedSegments, ackedBytes, priorInflightSegments);
        inflightSegments = span.bufferedSegments();
        lastAckNs = nowNs;
        long priorInflightBytes = (long) priorInflightSegments * mss;
        model.onAck(nowNs, sample);
        aggregation.onAck(nowNs, model.roundCount(), ackedBytes, model.bandwidth(), cwndBytes);
        updateCyclePhase(nowNs, priorInflightBytes, sample != null && sample.lostSegments > 0);
        fullPipe.onAck(model.roundStart(), sample, model.roundMetStandingQueue(), model.bandwidth());
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
        long silenceNs = Math.max(BLACKOUT_MIN_RTTS * model.effectiveMinRttNs(), BLACKOUT_MIN_NS);
        if (!collapsedByTimeout && lastAckNs != Long.MIN_VALUE && nowNs - lastAckNs > silenceNs) {
            // No ACK at all for several RTTs: the path is black-holed, not lossy. Stop adding data.
            priorCwndBytes = Math.max(priorCwndBytes, cwndBytes);
            cwndBytes = (long) MIN_CWND_SEGMENTS * mss;
            collapsedByTimeout = true;
        }
    }

    /** RFC 4015: a timeout that collapsed the window proved spurious (ACKs held back, not lost): undo it now. */
    @Override
    public void onSpuriousRetransmit(long nowNs, boolean afterTimeout) {
        if (afterTimeout && (collapsedByTimeout || conserving)) {
            collapsedByTimeout = false;
            conserving = false;
            if (mode != Mode.PROBE_RTT) { // else PROBE_RTT restores the saved window when it ends
                cwndBytes = Math.min(Math.max(cwndBytes, priorCwndBytes), maxCwndBytes);
                priorCwndBytes = 0;
            }
        }
    }

    private void updateCyclePhase(long nowNs, long priorInflightBytes, boolean lost) {
        if (mode != Mode.PROBE_BW) {
            return;
        }
        boolean phaseOver = nowNs - cycleStartNs > model.effectiveMinRttNs();
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

    private void checkDrain(long nowNs) {
        if (mode == Mode.STARTUP && fullPipe.filledPipe()) {
            mode = Mode.DRAIN;
            pacingGain = DRAIN_GAIN;
            cwndGain = HIGH_GAIN;
            drainStartNs = nowNs;
        }
        if (mode == Mode.DRAIN && ((long) inflightSegments * mss <= inflightTargetBytes(1.0)
                || nowNs - drainStartNs >= MAX_DRAIN_MIN_RTTS * model.effectiveMinRttNs())) {
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
        if (model.takeMinRttExpired() && mode != Mode.PROBE_RTT) {
            mode = Mode.PROBE_RTT;
            pacingGain = 1;
            cwndGain = 1;
            priorCwndBytes = Math.max(priorCwndBytes, cwndBytes);
            probeRttDoneTimerSet = false;
            probeRttStartNs = nowNs;
        }
        if (mode != Mode.PROBE_RTT) {
            return;
        }
        if (!probeRttDoneTimerSet) {
            // As for DRAIN, KCP's in-flight count may include lost segments: stop waiting after one probe duration.
            if ((long) inflightSegments * mss <= probeRttCwndBytes()
                    || nowNs - probeRttStartNs >= PROBE_RTT_DURATION_NS) {
                probeRttDoneTimerSet = true;
                probeRttDoneNs = nowNs + PROBE_RTT_DURATION_NS;
                probeRttRoundDone = false;
                model.restartRound();
            }
            return;
        }
        if (model.roundStart()) {
            probeRttRoundDone = true;
        }
        if (probeRttRoundDone && nowNs - probeRttDoneNs >= 0) {
            model.refreshMinRttStamp(nowNs); // the drained path was measured: fresh for another window
            cwndBytes = Math.max(cwndBytes, priorCwndBytes);
            priorCwndBytes = 0;
            if (fullPipe.filledPipe()) {
                enterProbeBw(nowNs);
            } else {
                mode = Mode.STARTUP;
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
            }
        }
    }

    private void updatePacingRate() {
        long bandwidth = model.bandwidth();
        if (bandwidth == 0) {
            pacingRateBytesPerSecond = Math.max(pacingRateBytesPerSecond,
                    rateFromWindow(HIGH_GAIN, initialCwndBytes, model.effectiveMinRttNs()));
            return;
        }
        // Random loss before the bottleneck: of what is paced out only deliveryRatio arrives, so pacing at the
        // delivery rate would leave the link short by the loss rate. Send enough that the delivered rate matches the
        // model, up to MAX_LOSS_COMPENSATION; only once the pipe is full (STARTUP's gain already overshoots).
        // A queue says the link is already full: then loss may be the queue's own, and compensating would only grow it.
        double compensation = fullPipe.filledPipe() && model.queueLooksEmpty()
            ? Math.min(1 / model.deliveryRatio(), MAX_LOSS_COMPENSATION) : 1.0;
        long rate = (long) (pacingGain * compensation * bandwidth);
        // In STARTUP a low sample must not slow the ramp (tcp_bbr.c bbr_set_pacing_rate).
        if (fullPipe.filledPipe() || rate > pacingRateBytesPerSecond) {
            pacingRateBytesPerSecond = Math.max(1, rate);
        }
    }

    private void updateCwnd(int ackedSegments) {
        long ackedBytes = (long) ackedSegments * mss;
        if (collapsedByTimeout) {
            // ACKs are back after a black-out: conserve packets for one round, then restore (tcp_bbr.c recovery).
            collapsedByTimeout = false;
            conserving = true;
            conservationEndRound = model.roundCount() + 1;
        }
        if (conserving) {
            cwndBytes = Math.max(cwndBytes, (long) inflightSegments * mss + ackedBytes);
            if (model.roundCount() >= conservationEndRound) {
                conserving = false;
                cwndBytes = Math.max(cwndBytes, priorCwndBytes);
                priorCwndBytes = 0;
            }
        } else {
            long targetBytes = inflightTargetBytes(cwndGain);
            if (fullPipe.filledPipe()) {
                targetBytes += aggregation.allowanceBytes(model.bandwidth()); // tcp_bbr.c bbr_ack_aggregation_cwnd
                cwndBytes = Math.min(cwndBytes + ackedBytes, targetBytes);
            } else if (cwndBytes < targetBytes || model.totalDeliveredBytes() < initialCwndBytes) {
                cwndBytes += ackedBytes;
            }
        }
        cwndBytes = Math.min(Math.max(cwndBytes, (long) MIN_CWND_SEGMENTS * mss), maxCwndBytes);
        if (mode == Mode.PROBE_RTT) {
            cwndBytes = Math.min(cwndBytes, probeRttCwndBytes());
        }
    }

    /** {@code gain * BDP} plus three send quanta, in bytes; the initial window while the model has no bandwidth yet. */
    private long inflightTargetBytes(double gain) {
        if (model.bandwidth() == 0) {
            return initialCwndBytes;
        }
        return model.bdpBytes(gain) + (long) QUANTA_IN_WINDOW * quantumSegments() * mss;
    }

    /**
     * The send quantum in segments: {@link Pacer#BURST_NS} at the bottleneck bandwidth estimate, within the bounds
     * above. Linux sizes it from the pacing rate; here that would be STARTUP's rate, which never falls below the one
     * derived from the initial window and the handshake's RTT (on a 10 Mbit/s link behind a loopback proxy, a hundred
     * times the link), and three such quanta overflowed a 100 ms bottleneck queue.
     */
    int quantumSegments() {
        long segments = (long) (model.bandwidth() * (Pacer.BURST_NS / NS_PER_SECOND)) / mss;
        return (int) Math.max(MIN_QUANTUM_SEGMENTS, Math.min(MAX_QUANTUM_SEGMENTS, segments));
    }

    /** PROBE_RTT's window: half a BDP (BBRv2's probe_rtt_cwnd_gain), at least the minimum window. */
    private long probeRttCwndBytes() {
        return Math.max(model.bdpBytes(PROBE_RTT_CWND_GAIN), (long) MIN_CWND_SEGMENTS * mss);
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
        return model.bandwidth();
    }

    long minRttNs() {
        return model.minRttNs();
    }

    long roundCount() {
        return model.roundCount();
    }

    boolean filledPipe() {
        return fullPipe.filledPipe();
    }
}
