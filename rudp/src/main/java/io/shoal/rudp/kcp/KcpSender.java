package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.cc.CongestionController;
import io.shoal.rudp.cc.Pacer;

import java.util.ArrayDeque;

/**
 * The send half of an engine: {@code snd_queue} (segments not yet in the window), the {@link SendBuffer} (in
 * flight), acknowledgement processing ({@code ikcp_parse_una}, {@code ikcp_parse_ack}, {@code ikcp_parse_fastack})
 * and the data part of {@code ikcp_flush} (first sends, timeout and fast retransmissions, pacing).
 */
final class KcpSender {
    /** What one {@link #flushData} call did, for the congestion hooks that follow it. */
    int fastResent;
    boolean timedOut;
    boolean pacingBlocked;
    boolean deadLinkReached;

    long bytesSent;
    long segmentsSent;
    long retransmits;
    long fastRetransmits;
    long spuriousRetransmits;
    /** Flushes that stopped filling the window because of cwnd, flow control, pacing, or no data ({@link KcpStats}). */
    long cwndLimitedFlushes;
    long flowLimitedFlushes;
    long pacingLimitedFlushes;
    long appLimitedFlushes;

    private final KcpConfig config;
    private final int mss;
    private final SegmentPool pool;
    private final SendBuffer sndBuf;
    private final ArrayDeque<KcpSegment> sndQueue = new ArrayDeque<>(1);
    private final DeliveryRateSampler rates;
    private final CongestionController cc;
    private final Pacer pacer;
    private final int queueLimit;
    /** Every segment below this serial number has been sent at least once (lets eager flushes skip them). */
    private int firstUnsent;
    private static final int LIMIT_APP = 0;
    private static final int LIMIT_FLOW = 1;
    private static final int LIMIT_CWND = 2;
    /** What stopped the last {@link #fillWindow}: no data, flow control, or the congestion window. */
    private int fillLimit;
    /** A segment reached the fast-retransmit threshold since the last full scan. */
    private boolean fastCandidate;
    /** RACK loss detection, spurious-retransmission detection and RTO re-arm; null in KCP-classic mode. */
    private final ReorderDetector reorder;
    private final RtoEstimator rto;
    /** Engine ms at which {@code snd_una} last advanced: timers restart then (RFC 6298 5.3; not classic). */
    private int progressMs;

    /**
     * @param reorder RACK-style detection outside KCP-classic mode, or null for KCP's duplicate-ACK count and
     *     per-segment timers exactly as {@code ikcp.c}
     */
    KcpSender(KcpConfig config, SegmentPool pool, DeliveryRateSampler rates, CongestionController cc, Pacer pacer,
              RtoEstimator rto, ReorderDetector reorder) {
        this.rto = rto;
        this.reorder = reorder;
        this.config = config;
        this.mss = config.mss();
        this.pool = pool;
        this.sndBuf = new SendBuffer(config.sendWindow());
        this.rates = rates;
        this.cc = cc;
        this.pacer = pacer;
        this.queueLimit = Math.max(4 * config.sendWindow(), 2 * KcpConfig.MAX_FRAGMENTS);
    }

    int una() {
        return sndBuf.una();
    }

    int nxt() {
        return sndBuf.nxt();
    }

    int inflight() {
        return sndBuf.nxt() - sndBuf.una();
    }

    int bufferedCount() {
        return sndBuf.count();
    }

    int queuedCount() {
        return sndQueue.size();
    }

    int queueLimit() {
        return queueLimit;
    }

    boolean isQueueFull() {
        return sndQueue.size() >= queueLimit;
    }

    /** Drops the send ring when nothing is in flight (see {@link SendBuffer#trim}). */
    void trim() {
        sndBuf.trim();
    }

    /** {@code ikcp_send}: cuts {@code data} into segments; the caller keeps it (full segments retain slices). */
    SendResult enqueue(ByteBuf data) {
        if (config.stream()) {
            KcpSegment last = sndQueue.peekLast(); // top up the last queued segment first, as ikcp_send does
            if (last != null && last.len() < mss) {
                ByteCopy.transfer(data, Math.min(mss - last.len(), data.readableBytes()), last.data);
            }
            while (data.isReadable()) {
                KcpSegment seg = pool.acquire();
                seg.fill(data, Math.min(mss, data.readableBytes()), mss);
                sndQueue.addLast(seg);
            }
            return SendResult.QUEUED;
        }
        int len = data.readableBytes();
        int count = len <= mss ? 1 : (len + mss - 1) / mss;
        if (count >= KcpConfig.MAX_FRAGMENTS) {
            return SendResult.TOO_LARGE; // ikcp_send returns -2
        }
        for (int i = 0; i < count; i++) {
            KcpSegment seg = pool.acquire();
            seg.fill(data, Math.min(mss, data.readableBytes()), mss);
            seg.frg = count - i - 1;
            sndQueue.addLast(seg);
        }
        return SendResult.QUEUED;
    }

    /** True while segment {@code sn} is in the send buffer (sent or about to be, not acknowledged). */
    boolean holds(int sn) {
        return sndBuf.get(sn) != null;
    }

    /** {@code ikcp_parse_una} + {@code ikcp_shrink_buf}; returns the payload bytes acknowledged. */
    int ackBelow(int una, long nowNs, int currentMs) {
        int bytes = 0;
        KcpSegment seg;
        while ((seg = sndBuf.pollBelow(una)) != null) {
            bytes += seg.len();
            if (reorder != null && seg.xmit == 1) {
                reorder.onDelivered(seg.ts, seg.sn, currentMs); // sent once: its send time is unambiguous
            }
            // Cumulative: for a resent segment it is unknown which copy arrived, so its send stamps prove nothing.
            rates.onAcked(seg, nowNs, seg.xmit > 1);
            pool.release(seg);
        }
        sndBuf.shrink();
        return bytes;
    }

    /**
     * {@code ikcp_parse_ack} + {@code ikcp_shrink_buf}.
     *
     * @param echoedTs the ACK's timestamp echo: it names the copy that arrived (kcp.md 1.3)
     * @return the payload bytes acknowledged, or -1 when {@code sn} is not (or no longer) in the send buffer
     */
    int ackOne(int sn, int echoedTs, long nowNs) {
        KcpSegment seg = sndBuf.remove(sn);
        if (seg == null) {
            return -1;
        }
        int bytes = seg.len();
        rates.onAcked(seg, nowNs, echoedTs != seg.ts); // an earlier copy's ACK: the latest send stamps do not apply
        pool.release(seg);
        sndBuf.shrink();
        return bytes;
    }

    /**
     * Outside classic mode, before the ACK of {@code sn} (echoing {@code echoedTs}) is applied: Eifel detection (RFC
     * 3522; the echo names the copy that arrived, so an echo older than the latest send proves that send spurious)
     * and the RACK update from the delivered copy's exact send time.
     */
    void onAckEcho(int sn, int echoedTs, int currentMs, long nowNs) {
        KcpSegment seg = sndBuf.get(sn);
        if (reorder == null || seg == null || seg.xmit == 0) {
            return;
        }
        if (seg.xmit > 1 && echoedTs - seg.ts < 0) {
            spuriousRetransmits++;
            if (!seg.rtoResent) {
                reorder.onSpurious(currentMs, rto.srttMs()); // RACK was fooled; a late timeout says nothing of it
            }
            cc.onSpuriousRetransmit(nowNs, seg.rtoResent);
        }
        if (reorder.onDelivered(echoedTs, sn, currentMs) && (sn - sndBuf.una() > 0 || seg.rtoResent)) {
            // A hole below a newer delivery, or the timeout's resend of the oldest segment arrived (everything sent
            // before it is now RACK-lost): the next flush checks for loss from una.
            fastCandidate = true;
        }
    }

    /** Outside classic mode, after an input moved {@code snd_una}: restart the retransmission timers. */
    void onProgress(int currentMs) {
        progressMs = currentMs;
    }

    /** True (and the next flush scans from {@code una}) when a RACK loss deadline has passed. */
    boolean rackDue(int currentMs) {
        if (reorder != null && reorder.deadlineDue(currentMs)) {
            fastCandidate = true;
            return true;
        }
        return false;
    }

    /** {@code ikcp_parse_fastack}: every segment older than the newest ACKed one, sent no later, gains a skip. */
    void countFastAcks(int maxAck, int ts) {
        if (reorder != null) {
            return; // RACK replaces the duplicate-ACK count outside classic mode
        }
        int una = sndBuf.una();
        if (maxAck - una < 0 || maxAck - sndBuf.nxt() >= 0) {
            return;
        }
        for (int sn = una; sn - maxAck < 0; sn++) {
            KcpSegment seg = sndBuf.get(sn);
            if (seg != null && ts - seg.ts >= 0 && ++seg.fastAck >= config.fastResend() && config.fastResend() > 0) {
                fastCandidate = true;
            }
        }
    }

    /**
     * Moves queued segments into the send buffer while both windows allow: flow control ({@code min(snd_wnd,
     * rmt_wnd)}, a span from {@code snd_una}, as the receiver's buffer is) and congestion control ({@code cwnd}, a span
     * from {@code snd_una} in KCP classic, else the segments still in the network).
     */
    void fillWindow(int flowWnd, int cwnd, boolean cwndSpansFromUna, long nowNs, int current, int wnd, int rcvNxt,
                    int rtoMs) {
        while (!sndQueue.isEmpty() && sndBuf.nxt() - (sndBuf.una() + flowWnd) < 0 && !sndBuf.isFull()
            && (cwndSpansFromUna ? sndBuf.nxt() - (sndBuf.una() + cwnd) < 0 : sndBuf.count() < cwnd)) {
            KcpSegment seg = sndQueue.pollFirst();
            sndBuf.append(seg);
            seg.wnd = wnd;
            seg.ts = current;
            seg.una = rcvNxt;
            seg.resendTs = current;
            seg.rto = rtoMs;
            seg.fastAck = 0;
            seg.xmit = 0;
        }
        if (sndQueue.isEmpty()) {
            fillLimit = LIMIT_APP;
        } else if (sndBuf.nxt() - (sndBuf.una() + flowWnd) >= 0 || sndBuf.isFull()) {
            fillLimit = LIMIT_FLOW;
        } else {
            fillLimit = LIMIT_CWND;
        }
        if (sndQueue.isEmpty() && sndBuf.count() < Math.min(flowWnd, cwnd)) {
            cc.onAppLimited(nowNs, sndBuf.count());
            rates.onAppLimited((long) sndBuf.count() * mss);
        }
    }

    /**
     * The data loop of {@code ikcp_flush}; results land in {@link #fastResent}, {@link #timedOut}, etc.
     *
     * @param newOnly scan only never-sent segments, unless a fast retransmit is due (eager flushes between interval
     *     ticks; timeouts are left to the periodic full flush, as in {@code ikcp_update})
     */
    void flushData(DatagramWriter writer, long nowNs, int current, int wnd, int rcvNxt, int rxRtoMs, boolean newOnly) {
        fastResent = 0;
        timedOut = false;
        pacingBlocked = false;
        int resent = config.fastResend() > 0 ? config.fastResend() : Integer.MAX_VALUE;
        int rtoMin = config.nodelay() == 0 ? rxRtoMs >> 3 : 0;
        long paceRate = cc.pacingRateBytesPerSecond();
        int nxt = sndBuf.nxt();
        int start = sndBuf.una();
        if (newOnly && !fastCandidate && firstUnsent - start > 0) {
            start = firstUnsent;
        }
        boolean fullScan = start == sndBuf.una();
        if (fullScan) {
            fastCandidate = false;
            if (reorder != null) {
                reorder.clearDeadline();
            }
        }
        int reoWndMs = reorder != null ? reorder.reorderWindowMs(rto.srttMs()) : 0;
        int rearmMs = progressMs + rxRtoMs; // RFC 6298 5.3: no timeout sooner than one RTO after the last progress
        // Outside classic mode a timeout resends only the oldest segment (RFC 8985 section 6.3: RACK, not the timer,
        // marks the rest lost once that copy's ACK names a later send). A timeout that a CPU stall made spurious then
        // costs one segment, not a window: the stalled ACKs arrive and acknowledge the originals.
        final int una = sndBuf.una();
        int sn = start;
        for (; sn != nxt; sn++) {
            KcpSegment seg = sndBuf.get(sn);
            if (seg == null) {
                continue;
            }
            int kind; // 1 first send, 2 timeout, 3 fast retransmit
            boolean fastAllowed = seg.xmit <= config.fastLimit() || config.fastLimit() <= 0;
            if (seg.xmit == 0) {
                kind = 1;
            } else if (current - seg.resendTs >= 0 && (reorder == null || (current - rearmMs >= 0 && sn == una))) {
                kind = 2;
            } else if (fastAllowed && (reorder == null ? seg.fastAck >= resent
                : rackLost(seg, reoWndMs, current, fullScan))) {
                kind = 3;
            } else {
                continue;
            }
            if (paceRate > 0 && !pacer.tryConsume(nowNs, seg.len() + KcpSegmentCodec.HEADER_LENGTH, paceRate)) {
                pacingBlocked = true;
                break;
            }
            seg.xmit++;
            if (kind == 1) {
                seg.rto = rxRtoMs;
                seg.resendTs = current + seg.rto + rtoMin;
            } else if (kind == 2) {
                retransmits++;
                if (config.nodelay() == 0) {
                    seg.rto += Math.max(seg.rto, rxRtoMs); // RTO doubles (or more)
                } else {
                    seg.rto += (config.nodelay() < 2 ? seg.rto : rxRtoMs) / 2; // x1.5, or linear in nodelay 2
                }
                if (reorder != null) {
                    seg.rto = Math.min(seg.rto, RtoEstimator.RTO_MAX_MS); // bounded backoff (RFC 6298 5.5)
                }
                seg.rtoResent = true;
                seg.resendTs = current + seg.rto;
                timedOut = true;
                rates.onLost(1);
            } else {
                fastRetransmits++;
                seg.fastAck = 0;
                seg.rtoResent = false;
                seg.resendTs = current + seg.rto;
                fastResent++;
                rates.onLost(1);
            }
            seg.ts = current;
            seg.wnd = wnd;
            seg.una = rcvNxt;
            rates.onSent(seg, nowNs, kind == 1 && sn == sndBuf.una()); // the oldest, never sent: nothing in flight
            cc.onSent(nowNs, seg.len(), sndBuf.count(), kind != 1);
            writer.push(seg);
            segmentsSent++;
            bytesSent += seg.len();
            if (seg.xmit >= config.deadLink()) {
                deadLinkReached = true;
            }
        }
        countLimit();
        if (reorder != null && fastResent > 0) {
            reorder.onRecovery();
        }
        if (sn - firstUnsent > 0 && (start - firstUnsent <= 0 || start == sndBuf.una())) {
            firstUnsent = sn; // everything before the stopping point has now been sent at least once
        }
    }

    /**
     * RACK (RFC 8985 6.2): lost once a segment sent after it was delivered and its reorder window has passed; else
     * its deadline joins the earliest pending one (only a scan from {@code una} sees them all).
     */
    private boolean rackLost(KcpSegment seg, int reoWndMs, int current, boolean fullScan) {
        int delayMs = reorder.lossDelayMs(seg.ts, seg.sn, reoWndMs, current);
        if (delayMs <= 0) {
            return true;
        }
        if (fullScan && delayMs != ReorderDetector.NOT_ELIGIBLE) {
            reorder.noteDeadline(current + delayMs);
        }
        return false;
    }

    /** One count per flush: the pacer if it stopped the flush, else what stopped {@link #fillWindow}. */
    private void countLimit() {
        if (pacingBlocked) {
            pacingLimitedFlushes++;
        } else if (fillLimit == LIMIT_APP) {
            appLimitedFlushes++;
        } else if (fillLimit == LIMIT_FLOW) {
            flowLimitedFlushes++;
        } else {
            cwndLimitedFlushes++;
        }
    }

    void close() {
        KcpSegment seg;
        while ((seg = sndQueue.pollFirst()) != null) {
            pool.release(seg);
        }
        while ((seg = sndBuf.pollBelow(sndBuf.nxt())) != null) {
            pool.release(seg);
        }
    }
}
