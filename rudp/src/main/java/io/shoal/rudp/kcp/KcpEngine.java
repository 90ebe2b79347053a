package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.cc.CcParams;
import io.shoal.rudp.cc.CongestionController;
import io.shoal.rudp.cc.CongestionControllers;
import io.shoal.rudp.cc.Pacer;
import io.shoal.rudp.cc.RateSample;

import java.util.ArrayDeque;

/**
 * One KCP conversation as a sans-IO state machine: no thread, clock or socket (STYLE.md 1.5).
 *
 * <p>Methods, in quinn-proto's four groups:
 * <ul>
 *   <li>getters: {@link #conv()}, {@link #state()}, {@link #isWritable()}, {@link #stats()};</li>
 *   <li>inputs: {@link #handleDatagram} ({@code ikcp_input}), {@link #handleTimeout} ({@code ikcp_update});</li>
 *   <li>commands: {@link #send} ({@code ikcp_send}), {@link #pollMessage}/{@link #receive} ({@code ikcp_recv}),
 *       {@link #close};</li>
 *   <li>outputs, drained in this order after every input or command: {@link #pollTransmit} (or
 *       {@link #pollDatagram}) until nothing is left, {@link #nextDeadlineNs()} ({@code ikcp_check}),
 *       {@link #pollEvent()} until null.</li>
 * </ul>
 * Every time-taking call gets a monotonically non-decreasing {@code nowNs}. Not thread-safe: one engine belongs to
 * one thread (an event loop).
 *
 * <p>The engine's millisecond clock (the {@code ts} on the wire) advances in {@link #handleTimeout}, as
 * {@code ikcp_update} advances {@code current}; input is processed against it, as {@code ikcp_input} does. With
 * {@link KcpConfig#ackNoDelay()} or {@link KcpConfig#flushOnAck()}, input also advances it, because it may send.
 */
public final class KcpEngine {
    /** {@link #nextDeadlineNs()} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int PROBE_INIT_MS = 5_000; // IKCP_PROBE_INIT (KCP 2.0)
    private static final int PROBE_LIMIT_MS = 120_000; // IKCP_PROBE_LIMIT
    private static final int ASK_SEND = 1; // IKCP_ASK_SEND
    private static final int ASK_TELL = 2; // IKCP_ASK_TELL
    private static final long NS_PER_MS = 1_000_000L;

    private final int conv;
    private final KcpConfig config;
    private final int mss;
    private final int sendQueueLimit;
    private final SegmentPool pool;
    private final SendBuffer sndBuf;
    private final ArrayDeque<KcpSegment> sndQueue = new ArrayDeque<>();
    private final ReceiveBuffer rcv;
    private final RtoEstimator rto;
    private final CongestionController cc;
    private final Pacer pacer;
    private final DeliveryRateSampler rates = new DeliveryRateSampler();
    private final DatagramWriter writer;
    private final ArrayDeque<KcpEvent> events = new ArrayDeque<>(2);

    /** Pending ACKs as (sn, ts) pairs ({@code acklist}). */
    private int[] ackList = new int[64];
    private int ackCount;

    private KcpState state = KcpState.OPEN;
    private int rmtWnd = KcpConfig.MAX_FRAGMENTS; // IKCP_WND_RCV
    private int current;
    private long nowNs;
    private boolean updated;
    private int tsFlush;
    private int probe;
    private int probeWait;
    private int tsProbe;
    private boolean pacingBlocked;
    private boolean reportedUnwritable;
    /** Bytes of the head segment of the receive queue already read by {@link #receive} (stream mode). */
    private int headReadOffset;

    private long bytesSent;
    private long bytesDelivered;
    private long segmentsSent;
    private long retransmits;
    private long fastRetransmits;
    private long datagramsIn;
    private long datagramsOut;
    private long malformed;
    private long duplicates;

    public KcpEngine(int conv, KcpConfig config) {
        this.conv = conv;
        this.config = config;
        this.mss = config.mss();
        this.sendQueueLimit = Math.max(4 * config.sendWindow(), 2 * KcpConfig.MAX_FRAGMENTS);
        this.pool = new SegmentPool(config.allocator(), mss, config.sendWindow() + config.receiveWindow());
        this.sndBuf = new SendBuffer(config.sendWindow());
        this.rcv = new ReceiveBuffer(config.receiveWindow());
        this.rto = new RtoEstimator(config.minRtoMs(), config.intervalMs());
        this.cc = CongestionControllers.create(config.congestionControl(),
            new CcParams(mss, config.fastResend(), RtoEstimator.RTO_DEFAULT_MS * NS_PER_MS, config.sendWindow()));
        this.pacer = new Pacer(Math.max(4L * config.mtu(), 16L * mss));
        this.writer = new DatagramWriter(config.allocator(), config.mtu(), conv);
        this.tsFlush = config.intervalMs();
    }

    /** Reads the conversation id of a raw KCP datagram ({@code ikcp_getconv}); -1 if it is shorter than 4 bytes. */
    public static long readConv(ByteBuf datagram) {
        if (datagram.readableBytes() < 4) {
            return -1;
        }
        return datagram.getUnsignedIntLE(datagram.readerIndex());
    }

    public int conv() {
        return conv;
    }

    public KcpConfig config() {
        return config;
    }

    public KcpState state() {
        return state;
    }

    /** The congestion controller (for statistics; do not call its hooks). */
    public CongestionController congestionController() {
        return cc;
    }

    /** True while the send queue is below its limit. */
    public boolean isWritable() {
        return state == KcpState.OPEN && sndQueue.size() < sendQueueLimit;
    }

    /** Segments not yet acknowledged: in flight plus queued ({@code ikcp_waitsnd}). */
    public int waitSendSegments() {
        return sndBuf.count() + sndQueue.size();
    }

    public KcpStats stats() {
        return new KcpStats(rto.srttMs(), rto.rttVarMs(), rto.rtoMs(), cc.cwndSegments(), sndBuf.nxt() - sndBuf.una(),
            sndQueue.size(), bytesSent, bytesDelivered, segmentsSent, retransmits, fastRetransmits, datagramsIn,
            datagramsOut, malformed, duplicates);
    }

    /** {@code snd_una}, {@code snd_nxt} and {@code rcv_nxt}, for tests and diagnostics. */
    public int sndUna() {
        return sndBuf.una();
    }

    public int sndNxt() {
        return sndBuf.nxt();
    }

    public int rcvNxt() {
        return rcv.rcvNxt();
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * Processes one datagram of KCP segments. Borrows {@code datagram}: reads its readable bytes without moving its
     * indices or changing its reference count; the caller still owns and releases it. Never throws on bad input.
     */
    public InputResult handleDatagram(long nowNs, ByteBuf datagram) {
        if (state == KcpState.CLOSED) {
            return InputResult.CLOSED;
        }
        datagramsIn++;
        boolean eager = config.ackNoDelay() || config.flushOnAck();
        if (eager) {
            advanceClock(nowNs);
        }
        int prevUna = sndBuf.una();
        int priorInflight = sndBuf.count();
        int ackedBytes = 0;
        boolean sawAck = false;
        int maxAck = 0;
        int latestTs = 0;
        int index = datagram.readerIndex();
        int end = datagram.writerIndex();
        InputResult result = end - index < KcpSegmentCodec.HEADER_LENGTH ? InputResult.TRUNCATED : InputResult.ACCEPTED;
        while (result == InputResult.ACCEPTED && end - index >= KcpSegmentCodec.HEADER_LENGTH) {
            if (KcpSegmentCodec.conv(datagram, index) != conv) {
                result = InputResult.WRONG_CONV;
                break;
            }
            result = KcpSegmentCodec.check(datagram, index, end - index);
            if (result != InputResult.ACCEPTED) {
                break;
            }
            int cmd = KcpSegmentCodec.cmd(datagram, index);
            int ts = KcpSegmentCodec.ts(datagram, index);
            int sn = KcpSegmentCodec.sn(datagram, index);
            int len = (int) KcpSegmentCodec.len(datagram, index);
            rmtWnd = KcpSegmentCodec.wnd(datagram, index);
            ackedBytes += ackBelow(KcpSegmentCodec.una(datagram, index));
            if (cmd == KcpSegmentCodec.CMD_ACK) {
                if (current - ts >= 0) {
                    rto.onSample(current - ts);
                    cc.onRttSample(this.nowNs, (long) (current - ts) * NS_PER_MS);
                }
                ackedBytes += ackOne(sn);
                if (!sawAck) {
                    sawAck = true;
                    maxAck = sn;
                    latestTs = ts;
                } else if (sn - maxAck > 0 && ts - latestTs > 0) { // IKCP_FASTACK_CONSERVE
                    maxAck = sn;
                    latestTs = ts;
                }
            } else if (cmd == KcpSegmentCodec.CMD_PUSH) {
                onPush(datagram, index, sn, ts, len);
            } else if (cmd == KcpSegmentCodec.CMD_WASK) {
                probe |= ASK_TELL;
            }
            // CMD_WINS carries nothing beyond the window already taken from the header.
            index += KcpSegmentCodec.HEADER_LENGTH + len;
        }
        if (result != InputResult.ACCEPTED && result != InputResult.WRONG_CONV) {
            malformed++;
        }
        if (sawAck) {
            countFastAcks(maxAck, latestTs);
        }
        boolean advanced = sndBuf.una() - prevUna > 0;
        if (advanced) {
            cc.onAck(this.nowNs, sndBuf.una() - prevUna, ackedBytes, priorInflight, rmtWnd, takeRateSample());
            maybeReportWritable();
        }
        if (eager) {
            if (config.flushOnAck() && (advanced || ackCount > 0 || probe != 0)) {
                flush();
            } else if (ackCount > 0 || probe != 0) {
                flushControl();
                writer.finish();
            }
        }
        return result;
    }

    private RateSample takeRateSample() {
        RateSample s = rates.takeSample();
        if (s == null) {
            RateSample empty = new RateSample(); // only when una advanced without any segment acked: rare
            empty.reset();
            return empty;
        }
        return s;
    }

    /** {@code ikcp_parse_una} + {@code ikcp_shrink_buf}; returns the payload bytes acknowledged. */
    private int ackBelow(int una) {
        int bytes = 0;
        KcpSegment seg;
        while ((seg = sndBuf.pollBelow(una)) != null) {
            bytes += seg.len();
            rates.onAcked(seg, nowNs);
            pool.release(seg);
        }
        sndBuf.shrink();
        return bytes;
    }

    /** {@code ikcp_parse_ack} + {@code ikcp_shrink_buf}. */
    private int ackOne(int sn) {
        KcpSegment seg = sndBuf.remove(sn);
        if (seg == null) {
            return 0;
        }
        int bytes = seg.len();
        rates.onAcked(seg, nowNs);
        pool.release(seg);
        sndBuf.shrink();
        return bytes;
    }

    /** {@code ikcp_parse_fastack}: every segment older than the newest ACKed one, sent no later, gains a skip. */
    private void countFastAcks(int maxAck, int ts) {
        int una = sndBuf.una();
        if (maxAck - una < 0 || maxAck - sndBuf.nxt() >= 0) {
            return;
        }
        for (int sn = una; sn - maxAck < 0; sn++) {
            KcpSegment seg = sndBuf.get(sn);
            if (seg != null && ts - seg.ts >= 0) {
                seg.fastAck++;
            }
        }
    }

    private void onPush(ByteBuf datagram, int index, int sn, int ts, int len) {
        if (!rcv.withinWindow(sn)) {
            return; // beyond the window: dropped without an ACK, as ikcp_input does
        }
        if (len > mss) {
            // Larger than our segments (a peer configured with a larger MTU): not held and not ACKed, so never lost.
            malformed++;
            return;
        }
        pushAck(sn, ts);
        if (rcv.isBelowNext(sn)) {
            duplicates++;
            return;
        }
        KcpSegment seg = pool.acquire();
        seg.sn = sn;
        seg.ts = ts;
        seg.frg = KcpSegmentCodec.frg(datagram, index);
        seg.wnd = KcpSegmentCodec.wnd(datagram, index);
        seg.una = KcpSegmentCodec.una(datagram, index);
        seg.data.writeBytes(datagram, index + KcpSegmentCodec.HEADER_LENGTH, len);
        if (!rcv.insert(seg)) {
            duplicates++;
            pool.release(seg);
        }
        rcv.moveToQueue();
    }

    private void pushAck(int sn, int ts) {
        if (2 * ackCount + 2 > ackList.length) {
            int[] bigger = new int[ackList.length * 2];
            System.arraycopy(ackList, 0, bigger, 0, 2 * ackCount);
            ackList = bigger;
        }
        ackList[2 * ackCount] = sn;
        ackList[2 * ackCount + 1] = ts;
        ackCount++;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Queues application bytes. Takes ownership of {@code data}: it is released on every outcome. In message mode the
     * bytes are one message (at most {@link KcpConfig#maxMessageBytes()}); in stream mode they are appended to the
     * byte stream (any length).
     */
    public SendResult send(long nowNs, ByteBuf data) {
        try {
            if (state != KcpState.OPEN) {
                return SendResult.CLOSED;
            }
            if (sndQueue.size() >= sendQueueLimit) {
                reportedUnwritable = true;
                return SendResult.QUEUE_FULL;
            }
            int len = data.readableBytes();
            if (config.stream()) {
                appendStream(data);
            } else {
                int count = len <= mss ? 1 : (len + mss - 1) / mss;
                if (count >= KcpConfig.MAX_FRAGMENTS) {
                    return SendResult.TOO_LARGE; // ikcp_send returns -2
                }
                for (int i = 0; i < count; i++) {
                    KcpSegment seg = pool.acquire();
                    seg.data.writeBytes(data, Math.min(mss, data.readableBytes()));
                    seg.frg = count - i - 1;
                    sndQueue.addLast(seg);
                }
            }
            if (sndQueue.size() >= sendQueueLimit) {
                reportedUnwritable = true;
            }
            if (config.flushOnAck() && updated) {
                advanceClock(nowNs);
                flush();
            }
            return SendResult.QUEUED;
        } finally {
            data.release();
        }
    }

    /** Stream mode: top up the last queued segment first (as {@code ikcp_send} does), then cut full segments. */
    private void appendStream(ByteBuf data) {
        KcpSegment last = sndQueue.peekLast();
        if (last != null && last.len() < mss) {
            last.data.writeBytes(data, Math.min(mss - last.len(), data.readableBytes()));
        }
        while (data.isReadable()) {
            KcpSegment seg = pool.acquire();
            seg.data.writeBytes(data, Math.min(mss, data.readableBytes()));
            seg.frg = 0;
            sndQueue.addLast(seg);
        }
    }

    /**
     * Size of the next message (message mode) or segment (stream mode) ready to read, or -1 when none is
     * ({@code ikcp_peeksize}).
     */
    public int peekSize() {
        KcpSegment head = rcv.queue().peekFirst();
        if (head == null) {
            return -1;
        }
        if (head.frg == 0) {
            return head.len() - headReadOffset;
        }
        if (rcv.queueCount() < head.frg + 1) {
            return -1;
        }
        int length = 0;
        for (KcpSegment seg : rcv.queue()) {
            length += seg.len();
            if (seg.frg == 0) {
                break;
            }
        }
        return length;
    }

    /**
     * The next complete message (message mode) or the next in-order segment's bytes (stream mode), or null. The
     * caller owns the returned buffer and must release it.
     */
    public ByteBuf pollMessage() {
        int size = peekSize();
        if (size < 0 || state == KcpState.CLOSED) {
            return null;
        }
        boolean recover = rcv.isQueueFull();
        ByteBuf out = config.allocator().heapBuffer(Math.max(size, 1));
        ArrayDeque<KcpSegment> queue = rcv.queue();
        KcpSegment seg;
        while ((seg = queue.pollFirst()) != null) {
            out.writeBytes(seg.data, seg.data.readerIndex() + headReadOffset, seg.len() - headReadOffset);
            headReadOffset = 0;
            int frg = seg.frg;
            pool.release(seg);
            if (frg == 0) {
                break;
            }
        }
        afterRead(recover, size);
        return out;
    }

    /**
     * Stream-mode read: copies as many in-order bytes as fit into {@code dst}'s writable space; returns the count
     * (0 when none). In message mode it reads a whole message only if it fits, else returns 0.
     */
    public int receive(ByteBuf dst) {
        if (state == KcpState.CLOSED) {
            return 0;
        }
        if (!config.stream()) {
            int size = peekSize();
            if (size < 0 || size > dst.writableBytes()) {
                return 0;
            }
            ByteBuf msg = pollMessage();
            dst.writeBytes(msg);
            msg.release();
            return size;
        }
        boolean recover = rcv.isQueueFull();
        int copied = 0;
        ArrayDeque<KcpSegment> queue = rcv.queue();
        KcpSegment seg;
        while (dst.isWritable() && (seg = queue.peekFirst()) != null) {
            int n = Math.min(dst.writableBytes(), seg.len() - headReadOffset);
            dst.writeBytes(seg.data, seg.data.readerIndex() + headReadOffset, n);
            copied += n;
            headReadOffset += n;
            if (headReadOffset == seg.len()) {
                queue.pollFirst();
                headReadOffset = 0;
                pool.release(seg);
            }
        }
        if (copied > 0) {
            afterRead(recover, copied);
        }
        return copied;
    }

    /** The tail of {@code ikcp_recv}: refill the queue and, if it had been full, tell the peer ("fast recover"). */
    private void afterRead(boolean wasFull, int bytes) {
        bytesDelivered += bytes;
        rcv.moveToQueue();
        if (wasFull && !rcv.isQueueFull()) {
            probe |= ASK_TELL;
        }
    }

    /** Releases every buffer the engine holds; later inputs return {@link InputResult#CLOSED}. Idempotent. */
    public void close() {
        if (state == KcpState.CLOSED) {
            return;
        }
        state = KcpState.CLOSED;
        KcpSegment seg;
        while ((seg = sndQueue.pollFirst()) != null) {
            pool.release(seg);
        }
        while ((seg = sndBuf.pollBelow(sndBuf.nxt())) != null) {
            pool.release(seg);
        }
        rcv.clear(pool);
        writer.close();
        pool.close();
        ackCount = 0;
    }

    // ------------------------------------------------------------------------------------------------ timers

    private void advanceClock(long nowNs) {
        this.nowNs = nowNs;
        this.current = (int) Math.floorDiv(nowNs, NS_PER_MS);
    }

    /**
     * Runs whatever is due ({@code ikcp_update}): the periodic flush, retransmissions, window probes, paced sends.
     * Early calls are harmless.
     */
    public void handleTimeout(long nowNs) {
        if (state == KcpState.CLOSED) {
            return;
        }
        advanceClock(nowNs);
        if (!updated) {
            updated = true;
            tsFlush = current;
        }
        int slap = current - tsFlush;
        if (slap >= 10_000 || slap < -10_000) {
            tsFlush = current;
            slap = 0;
        }
        if (slap >= 0) {
            tsFlush += config.intervalMs();
            if (current - tsFlush >= 0) {
                tsFlush = current + config.intervalMs();
            }
            flush();
        } else if (pacingBlocked && pacer.nextSendTimeNs(nowNs, cc.pacingRateBytesPerSecond()) - nowNs <= 0) {
            flush();
        }
    }

    /** The absolute time at which {@link #handleTimeout} should next run, or {@link #NO_DEADLINE}. */
    public long nextDeadlineNs() {
        if (state == KcpState.CLOSED) {
            return NO_DEADLINE;
        }
        if (!updated) {
            return nowNs;
        }
        long flushNs = (Math.floorDiv(nowNs, NS_PER_MS) + (tsFlush - current)) * NS_PER_MS;
        if (pacingBlocked) {
            long paceNs = pacer.nextSendTimeNs(nowNs, cc.pacingRateBytesPerSecond());
            if (paceNs - flushNs < 0) {
                return paceNs;
            }
        }
        return flushNs;
    }

    // ------------------------------------------------------------------------------------------------ flush

    /** {@code ikcp_flush}: ACKs, window probes, then data (new, timed out, fast retransmitted), packed to the MTU. */
    private void flush() {
        flushFrom(sndBuf.una());
    }

    private void flushControl() {
        int wnd = rcv.unusedWindow();
        int una = rcv.rcvNxt();
        for (int i = 0; i < ackCount; i++) {
            writer.control(KcpSegmentCodec.CMD_ACK, wnd, ackList[2 * i + 1], ackList[2 * i], una);
        }
        ackCount = 0;
        if ((probe & ASK_SEND) != 0) {
            writer.control(KcpSegmentCodec.CMD_WASK, wnd, 0, 0, una);
        }
        if ((probe & ASK_TELL) != 0) {
            writer.control(KcpSegmentCodec.CMD_WINS, wnd, 0, 0, una);
        }
        probe = 0;
    }

    private void updateProbe() {
        if (rmtWnd == 0) {
            if (probeWait == 0) {
                probeWait = PROBE_INIT_MS;
                tsProbe = current + probeWait;
            } else if (current - tsProbe >= 0) {
                if (probeWait < PROBE_INIT_MS) {
                    probeWait = PROBE_INIT_MS;
                }
                probeWait += probeWait / 2;
                if (probeWait > PROBE_LIMIT_MS) {
                    probeWait = PROBE_LIMIT_MS;
                }
                tsProbe = current + probeWait;
                probe |= ASK_SEND;
            }
        } else {
            tsProbe = 0;
            probeWait = 0;
        }
    }

    private void flushFrom(int fromSn) {
        if (!updated || state == KcpState.CLOSED) {
            return;
        }
        cc.onFlushStart(nowNs);
        updateProbe();
        flushControl();
        int wnd = rcv.unusedWindow();
        moveQueueToBuffer(wnd);
        int resent = config.fastResend() > 0 ? config.fastResend() : Integer.MAX_VALUE;
        int rtoMin = config.nodelay() == 0 ? rto.rtoMs() >> 3 : 0;
        long paceRate = cc.pacingRateBytesPerSecond();
        pacingBlocked = false;
        int change = 0;
        boolean lost = false;
        int nxt = sndBuf.nxt();
        int start = fromSn - sndBuf.una() > 0 ? fromSn : sndBuf.una();
        for (int sn = start; sn != nxt; sn++) {
            KcpSegment seg = sndBuf.get(sn);
            if (seg == null) {
                continue;
            }
            int kind; // 0 none, 1 first send, 2 timeout, 3 fast retransmit
            if (seg.xmit == 0) {
                kind = 1;
            } else if (current - seg.resendTs >= 0) {
                kind = 2;
            } else if (seg.fastAck >= resent && (seg.xmit <= config.fastLimit() || config.fastLimit() <= 0)) {
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
                seg.rto = rto.rtoMs();
                seg.resendTs = current + seg.rto + rtoMin;
            } else if (kind == 2) {
                retransmits++;
                if (config.nodelay() == 0) {
                    seg.rto += Math.max(seg.rto, rto.rtoMs());
                } else {
                    int step = config.nodelay() < 2 ? seg.rto : rto.rtoMs();
                    seg.rto += step / 2;
                }
                seg.resendTs = current + seg.rto;
                lost = true;
                rates.onLost(1);
            } else {
                fastRetransmits++;
                seg.fastAck = 0;
                seg.resendTs = current + seg.rto;
                change++;
                rates.onLost(1);
            }
            transmit(seg, wnd, kind != 1);
        }
        writer.finish();
        if (change > 0) {
            cc.onFastRetransmit(nowNs, change, sndBuf.nxt() - sndBuf.una());
        }
        if (lost) {
            cc.onRetransmitTimeout(nowNs, sndBuf.nxt() - sndBuf.una());
        }
        cc.onFlushEnd(nowNs);
    }

    /** Moves queued segments into the send buffer while the effective window allows. */
    private void moveQueueToBuffer(int wnd) {
        int cwnd = Math.min(Math.min(config.sendWindow(), rmtWnd), cc.cwndSegments());
        while (sndBuf.nxt() - (sndBuf.una() + cwnd) < 0 && !sndQueue.isEmpty() && !sndBuf.isFull()) {
            KcpSegment seg = sndQueue.pollFirst();
            sndBuf.append(seg);
            seg.wnd = wnd;
            seg.ts = current;
            seg.una = rcv.rcvNxt();
            seg.resendTs = current;
            seg.rto = rto.rtoMs();
            seg.fastAck = 0;
            seg.xmit = 0;
        }
        maybeReportWritable();
        if (sndQueue.isEmpty() && sndBuf.count() < cwnd) {
            cc.onAppLimited(nowNs, sndBuf.count());
            rates.onAppLimited((long) sndBuf.count() * mss);
        }
    }

    private void transmit(KcpSegment seg, int wnd, boolean retransmit) {
        seg.ts = current;
        seg.wnd = wnd;
        seg.una = rcv.rcvNxt();
        rates.onSent(seg, nowNs, sndBuf.count() == 0);
        cc.onSent(nowNs, seg.len(), sndBuf.count(), retransmit);
        writer.push(seg);
        segmentsSent++;
        bytesSent += seg.len();
        if (seg.xmit >= config.deadLink() && state == KcpState.OPEN) {
            state = KcpState.DEAD;
            events.addLast(KcpEvent.LINK_DEAD);
        }
    }

    private void maybeReportWritable() {
        if (reportedUnwritable && sndQueue.size() < sendQueueLimit / 2) {
            reportedUnwritable = false;
            events.addLast(KcpEvent.WRITABLE);
        }
    }

    // ------------------------------------------------------------------------------------------------ outputs

    /**
     * Writes the next outgoing datagram into {@code out} (which needs {@link KcpConfig#mtu()} writable bytes) and
     * returns its length; 0 means nothing more to send now.
     */
    public int pollTransmit(long nowNs, ByteBuf out) {
        ByteBuf d = pollDatagram();
        if (d == null) {
            return 0;
        }
        int n = d.readableBytes();
        out.writeBytes(d);
        d.release();
        return n;
    }

    /** Like {@link #pollTransmit} without the copy: the next datagram, now owned by the caller, or null. */
    public ByteBuf pollDatagram() {
        ByteBuf d = writer.poll();
        if (d != null) {
            datagramsOut++;
        }
        return d;
    }

    /** The next event, or null. */
    public KcpEvent pollEvent() {
        return events.pollFirst();
    }
}
