package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.cc.CcParams;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.cc.CongestionController;
import io.shoal.rudp.cc.CongestionControllers;
import io.shoal.rudp.cc.Pacer;

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
 * {@link KcpConfig#ackNoDelay()}, {@link KcpConfig#flushOnAck()}, CUBIC or BBR, input also advances it: it may send,
 * and its RTT samples must not read up to one interval low.
 */
public final class KcpEngine {
    /** {@link #nextDeadlineNs()} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final long NS_PER_MS = 1_000_000L;

    private final int conv;
    private final KcpConfig config;
    private final SegmentPool pool;
    private final KcpSender sender;
    private final KcpReceiver receiver;
    private final RtoEstimator rto;
    private final CongestionController cc;
    private final DatagramWriter writer;
    private final KcpInput input;
    private final KcpOutput output;
    private final ArrayDeque<KcpEvent> events = new ArrayDeque<>(2);
    /**
     * Input advances the millisecond clock too, so RTT samples are not read up to one interval low. Off only in
     * KCP-classic mode, where input runs against {@code ikcp_update}'s clock as in C: there a sample taken just
     * before a tick makes the RTO shorter than the real round trip, and every such timeout is spurious (with CUBIC
     * each one collapsed the window).
     */
    private final boolean liveClock;

    private KcpState state = KcpState.OPEN;
    private int current;
    private long nowNs;
    private boolean reportedUnwritable;

    private long datagramsIn;
    private long datagramsOut;

    public KcpEngine(int conv, KcpConfig config) {
        this.conv = conv;
        this.config = config;
        int mss = config.mss();
        this.pool = new SegmentPool(config.allocator(), mss, config.sendWindow() + config.receiveWindow());
        this.rto = new RtoEstimator(config.minRtoMs(), config.intervalMs());
        this.cc = CongestionControllers.create(config.congestionControl(),
            new CcParams(mss, config.fastResend(), RtoEstimator.RTO_DEFAULT_MS * NS_PER_MS, config.sendWindow()));
        Pacer pacer = new Pacer(Math.max(4L * config.mtu(), 16L * mss));
        boolean live = config.ackNoDelay() || config.flushOnAck()
            || config.congestionControl() == CongestionControl.CUBIC
            || config.congestionControl() == CongestionControl.BBR;
        ReorderDetector reorder = live ? new ReorderDetector() : null; // RACK loss detection outside KCP-classic mode
        DeliveryRateSampler rates = new DeliveryRateSampler();
        WindowProbe window = new WindowProbe();
        this.sender = new KcpSender(config, pool, rates, cc, pacer, rto, reorder);
        this.receiver = new KcpReceiver(config.receiveWindow(), pool, config.allocator(), mss, config.ackNoDelay());
        this.writer = new DatagramWriter(config.allocator(), config.mtu(), conv, config.heapDatagrams(),
            config.sendWindow());
        this.liveClock = live;
        this.input = new KcpInput(conv, sender, receiver, rto, cc, rates, window, liveClock);
        this.output = new KcpOutput(config, sender, receiver, writer, window, rto, cc, pacer, reorder);
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
        return state == KcpState.OPEN && !sender.isQueueFull();
    }

    /** Segments not yet acknowledged: in flight plus queued ({@code ikcp_waitsnd}). */
    public int waitSendSegments() {
        return sender.bufferedCount() + sender.queuedCount();
    }

    public KcpStats stats() {
        return new KcpStats(rto.srttMs(), rto.rttVarMs(), rto.rtoMs(), cc.cwndSegments(), sender.inflight(),
            sender.queuedCount(), sender.bytesSent, receiver.bytesDelivered, sender.segmentsSent, sender.retransmits,
            sender.fastRetransmits, datagramsIn, datagramsOut, input.malformed, receiver.duplicates,
            sender.cwndLimitedFlushes, sender.flowLimitedFlushes, sender.pacingLimitedFlushes,
            sender.appLimitedFlushes, sender.spuriousRetransmits);
    }

    /** {@code snd_una}, for tests and diagnostics. */
    public int sndUna() {
        return sender.una();
    }

    /** {@code snd_nxt}, for tests and diagnostics. */
    public int sndNxt() {
        return sender.nxt();
    }

    /** {@code rcv_nxt}, for tests and diagnostics. */
    public int rcvNxt() {
        return receiver.rcvNxt();
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * Processes one datagram of KCP segments. Borrows {@code datagram}: reads its readable bytes without moving its
     * indices or changing its reference count; the caller still owns and releases it. Never throws on bad input.
     */
    public InputResult handleDatagram(long nowNs, ByteBuf datagram) {
        return handleDatagram(nowNs, datagram, false);
    }

    /**
     * {@link #handleDatagram}, except that PUSH payloads of at least {@link KcpReceiver#SHARE_MIN_BYTES} are not
     * copied: each such segment keeps a retained slice of {@code datagram} until the application has read it, and
     * {@link #pollMessage} hands a whole one-segment message over as that slice. The caller still releases its own
     * reference, but must not change {@code datagram}'s bytes afterwards: for a driver that makes a fresh buffer per
     * datagram anyway (the secure profile decrypts into one), not for a socket's receive buffers, which a shared
     * slice would hold for as long as the application.
     */
    public InputResult handleSharedDatagram(long nowNs, ByteBuf datagram) {
        return handleDatagram(nowNs, datagram, true);
    }

    private InputResult handleDatagram(long nowNs, ByteBuf datagram, boolean share) {
        if (state == KcpState.CLOSED) {
            return InputResult.CLOSED;
        }
        datagramsIn++;
        if (liveClock) {
            advanceClock(nowNs);
        } else {
            this.nowNs = nowNs; // controllers and rate samples get the true time; the KCP ms clock stays C-exact
        }
        InputResult result = input.process(datagram, current, nowNs, share);
        if (input.acknowledged) {
            maybeReportWritable();
        }
        if (config.flushOnAck() && input.advancedUna) {
            flush(true); // packet clocking: the window just opened
        }
        // With ackNoDelay the ACKs are written when the driver next polls, so a batch of inputs shares datagrams.
        return result;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Queues application bytes. Takes ownership of {@code data}: it is released on every outcome, but full segments
     * keep retained slices of it until acknowledged, so its memory must not change afterwards. In message mode the
     * bytes are one message (at most {@link KcpConfig#maxMessageBytes()}); in stream mode they are appended to the
     * byte stream (any length).
     */
    public SendResult send(long nowNs, ByteBuf data) {
        try {
            if (state != KcpState.OPEN) {
                return SendResult.CLOSED;
            }
            if (sender.isQueueFull()) {
                reportedUnwritable = true;
                return SendResult.QUEUE_FULL;
            }
            SendResult r = sender.enqueue(data);
            if (sender.isQueueFull()) {
                reportedUnwritable = true;
            }
            if (r == SendResult.QUEUED && config.flushOnAck() && output.started()) {
                advanceClock(nowNs);
                flush(true);
            }
            return r;
        } finally {
            data.release();
        }
    }

    /**
     * Size of the next message (message mode) or of the unread part of the next segment (stream mode) ready to
     * read, or -1 when none is ({@code ikcp_peeksize}).
     */
    public int peekSize() {
        return state == KcpState.CLOSED ? -1 : receiver.peekSize();
    }

    /**
     * The next complete message (message mode) or the next in-order segment's bytes (stream mode), or null. The
     * caller owns the returned buffer and must release it.
     */
    public ByteBuf pollMessage() {
        return state == KcpState.CLOSED ? null : receiver.pollMessage();
    }

    /**
     * Stream-mode read: copies as many in-order bytes as fit into {@code dst}'s writable space; returns the count
     * (0 when none). In message mode it reads a whole message only if it fits, else returns 0.
     */
    public int receive(ByteBuf dst) {
        if (state == KcpState.CLOSED) {
            return 0;
        }
        if (config.stream()) {
            return receiver.receiveStream(dst);
        }
        int size = receiver.peekSize();
        if (size < 0 || size > dst.writableBytes()) {
            return 0;
        }
        ByteBuf msg = receiver.pollMessage();
        dst.writeBytes(msg);
        msg.release();
        return size;
    }

    /** Releases every buffer the engine holds; later inputs return {@link InputResult#CLOSED}. Idempotent. */
    public void close() {
        if (state == KcpState.CLOSED) {
            return;
        }
        state = KcpState.CLOSED;
        sender.close();
        receiver.close();
        writer.close();
        pool.close();
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
        if (output.tick(current)) {
            flush(false);
        } else if (output.eagerFlushDue(nowNs, current)) {
            flush(true);
        }
    }

    /** The absolute time at which {@link #handleTimeout} should next run, or {@link #NO_DEADLINE}. */
    public long nextDeadlineNs() {
        if (state == KcpState.CLOSED) {
            return NO_DEADLINE;
        }
        return output.started() ? output.nextFlushNs(nowNs, current) : nowNs;
    }

    /**
     * True when a flush has nothing to do: nothing queued or unacknowledged, no ACK, window probe or paced send
     * pending. A shell holding many idle connections may then skip {@link #handleTimeout} until the next input,
     * send or read, instead of waking every interval; it must re-read this after each of them.
     */
    public boolean isIdle() {
        return output.hasNothingToFlush();
    }

    /**
     * Gives back memory an idle connection does not need: pooled segment buffers return to the allocator and the
     * send and receive rings are dropped; each comes back, small, on next use. A shell calls it when it finds the
     * engine {@link #isIdle()} (it is safe at any time: only free segments and empty rings are let go). Nothing on
     * the wire changes.
     */
    public void releaseIdleMemory() {
        if (state == KcpState.CLOSED) {
            return;
        }
        pool.close();
        writer.releaseSpare();
        sender.trim();
        receiver.trim();
    }

    // ------------------------------------------------------------------------------------------------ flush

    /**
     * {@link KcpOutput#flush}, then what it means here: room in the send queue (WRITABLE; the flush moved queued
     * segments into the window) and a dead link. {@code newOnly}: an eager data-only flush (packet clocking, a RACK
     * deadline, a paced send).
     */
    private void flush(boolean newOnly) {
        if (!output.started() || state == KcpState.CLOSED) {
            return;
        }
        output.flush(nowNs, current, newOnly);
        maybeReportWritable();
        if (sender.deadLinkReached && state == KcpState.OPEN) {
            state = KcpState.DEAD;
            events.addLast(KcpEvent.LINK_DEAD);
        }
    }

    private void maybeReportWritable() {
        if (reportedUnwritable && sender.queuedCount() < sender.queueLimit() / 2) {
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
        if (config.ackNoDelay() && state != KcpState.CLOSED) {
            output.flushOwedControl();
        }
        ByteBuf d = writer.poll();
        if (d != null) {
            datagramsOut++;
        }
        return d;
    }

    /**
     * Gives back a datagram from {@link #pollDatagram} whose bytes the caller has used (it takes ownership, as a
     * release would), so a later flush refills it instead of allocating one. For drivers that copy or seal each
     * datagram rather than send the buffer itself.
     */
    public void recycleDatagram(ByteBuf datagram) {
        if (state == KcpState.CLOSED) {
            datagram.release();
        } else {
            writer.recycle(datagram);
        }
    }

    /** The next event, or null. */
    public KcpEvent pollEvent() {
        return events.pollFirst();
    }
}
