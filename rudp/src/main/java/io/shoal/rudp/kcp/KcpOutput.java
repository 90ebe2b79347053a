package io.shoal.rudp.kcp;

import io.shoal.rudp.cc.CongestionController;
import io.shoal.rudp.cc.Pacer;

/**
 * The output half of an engine, the mirror of {@link KcpInput}: {@code ikcp_flush} (pending ACKs, then WASK/WINS,
 * then the {@link KcpSender}'s data, packed to the MTU by the {@link DatagramWriter}, between the congestion
 * controller's flush hooks) and {@code ikcp_check} (when the next flush is due: the periodic {@link FlushClock}, a
 * RACK reorder deadline, a paced send). {@code nowNs} is the true time, {@code currentMs} the engine's KCP clock.
 * The engine keeps what a flush means to the application (its state, WRITABLE and LINK_DEAD events). Single-threaded;
 * no allocation.
 */
final class KcpOutput {
    private static final long NS_PER_MS = 1_000_000L;

    private final int sendWindow;
    private final KcpSender sender;
    private final KcpReceiver receiver;
    private final DatagramWriter writer;
    private final WindowProbe window;
    private final RtoEstimator rto;
    private final CongestionController cc;
    private final Pacer pacer;
    private final FlushClock flushClock;
    /** RACK loss detection outside KCP-classic mode (its deadline joins {@link #nextFlushNs}); else null. */
    private final ReorderDetector reorder;

    KcpOutput(KcpConfig config, KcpSender sender, KcpReceiver receiver, DatagramWriter writer, WindowProbe window,
              RtoEstimator rto, CongestionController cc, Pacer pacer, ReorderDetector reorder) {
        this.sendWindow = config.sendWindow();
        this.sender = sender;
        this.receiver = receiver;
        this.writer = writer;
        this.window = window;
        this.rto = rto;
        this.cc = cc;
        this.pacer = pacer;
        this.flushClock = new FlushClock(config.intervalMs());
        this.reorder = reorder;
    }

    /** True once the first {@link #tick} ran ({@code kcp->updated}): nothing is flushed before. */
    boolean started() {
        return flushClock.started();
    }

    /** {@code ikcp_update}: true when the periodic (full) flush is due at {@code currentMs}. */
    boolean tick(int currentMs) {
        return flushClock.tick(currentMs);
    }

    /** Between ticks: true when a data-only flush is due (a RACK reorder window ran out, or a paced send). */
    boolean eagerFlushDue(long nowNs, int currentMs) {
        return sender.rackDue(currentMs)
            || sender.pacingBlocked && pacer.nextSendTimeNs(nowNs, cc.pacingRateBytesPerSecond()) - nowNs <= 0;
    }

    /** {@code ikcp_check} once {@link #started()}: the absolute time of the next flush, periodic or eager. */
    long nextFlushNs(long nowNs, int currentMs) {
        long flushNs = flushClock.nextFlushNs(nowNs);
        if (reorder != null && reorder.hasDeadline()) {
            // Engine ms are the low 32 bits of floor(nowNs / 1 ms): go through the difference, which is wrap-safe.
            long msStartNs = Math.floorDiv(nowNs, NS_PER_MS) * NS_PER_MS;
            long rackNs = Math.max(nowNs, msStartNs + (long) (reorder.deadlineMs() - currentMs) * NS_PER_MS);
            if (rackNs - flushNs < 0) {
                flushNs = rackNs;
            }
        }
        if (sender.pacingBlocked) {
            long paceNs = pacer.nextSendTimeNs(nowNs, cc.pacingRateBytesPerSecond());
            if (paceNs - flushNs < 0) {
                return paceNs;
            }
        }
        return flushNs;
    }

    /** True when a flush has nothing to do: nothing queued or unacknowledged, no ACK, probe, WINS or paced send. */
    boolean hasNothingToFlush() {
        return sender.bufferedCount() == 0 && sender.queuedCount() == 0 && receiver.ackCount() == 0
            && !window.pending() && !receiver.windowReopenedPending() && !writer.hasReady() && !sender.pacingBlocked;
    }

    /**
     * {@code ikcp_flush}: ACKs, window probes, then data (new, timed out, fast retransmitted), packed to the MTU.
     *
     * @param newOnly an eager data-only flush: ACKs wait for the driver's poll or the next tick
     */
    void flush(long nowNs, int currentMs, boolean newOnly) {
        cc.onFlushStart(nowNs);
        int wnd;
        if (newOnly) {
            wnd = receiver.unusedWindow();
        } else {
            window.update(currentMs);
            wnd = flushControl();
        }
        sender.fillWindow(Math.min(sendWindow, window.remoteWindow()), cc.cwndSegments(),
            cc.windowSpansFromUna(), nowNs, currentMs, wnd, receiver.rcvNxt(), rto.rtoMs());
        sender.flushData(writer, nowNs, currentMs, wnd, receiver.rcvNxt(), rto.rtoMs(), newOnly);
        writer.finish();
        if (sender.fastResent > 0) {
            cc.onFastRetransmit(nowNs, sender.fastResent, sender.inflight());
        }
        if (sender.timedOut) {
            cc.onRetransmitTimeout(nowNs, sender.inflight());
        }
        cc.onFlushEnd(nowNs);
    }

    /**
     * With {@link KcpConfig#ackNoDelay()}: when no datagram is ready but ACKs or a WASK/WINS are owed, writes them
     * into one, so a batch of inputs shares ACK datagrams and they leave at the driver's next poll.
     */
    void flushOwedControl() {
        if (!writer.hasReady() && (receiver.ackCount() > 0 || window.pending())) {
            flushControl();
            writer.finish();
        }
    }

    /** Writes pending ACKs, then WASK/WINS; returns the window advertised in them. */
    private int flushControl() {
        int wnd = receiver.unusedWindow();
        receiver.writeAcks(writer, wnd);
        if (receiver.takeWindowReopened()) {
            window.tell();
        }
        window.write(writer, wnd, receiver.rcvNxt());
        return wnd;
    }
}
