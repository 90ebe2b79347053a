package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;

/**
 * The receive half of an engine: accepts PUSH segments into the {@link ReceiveBuffer}, collects the ACKs owed
 * ({@code acklist}), and hands in-order data to the application ({@code ikcp_recv}, {@code ikcp_peeksize}).
 */
final class KcpReceiver {
    /** Bound on the ACKs repeated per batch: enough for a few data datagrams between two ACK flushes. */
    static final int MAX_REPEATED_ACKS = 16;
    private final ReceiveBuffer rcv;
    private final SegmentPool pool;
    private final ByteBufAllocator allocator;
    private final int mss;
    /** Pending ACKs as (sn, ts) pairs; starts small (most connections owe a few ACKs at a time) and doubles. */
    private int[] ackList = new int[8];
    private int ackCount;
    /** ACKs of the previous batch still above {@code rcv_nxt}, as (sn, ts) pairs, repeated once when enabled. */
    private final int[] repeatList;
    private int repeatCount;
    private final boolean repeatAcks;
    /** Bytes of the queue's head segment already read by {@link #receive} (stream mode). */
    private int headReadOffset;
    /** Set when a read drained a full queue: the peer must hear the window again ({@code IKCP_ASK_TELL}). */
    private boolean windowReopened;
    long bytesDelivered;
    long duplicates;

    /**
     * @param repeatAcks repeat each out-of-order segment's ACK in the next ACK batch (see {@link #writeAcks})
     */
    KcpReceiver(int windowSegments, SegmentPool pool, ByteBufAllocator allocator, int mss, boolean repeatAcks) {
        this.rcv = new ReceiveBuffer(windowSegments);
        this.repeatAcks = repeatAcks;
        this.repeatList = repeatAcks ? new int[2 * MAX_REPEATED_ACKS] : null;
        this.pool = pool;
        this.allocator = allocator;
        this.mss = mss;
    }

    int rcvNxt() {
        return rcv.rcvNxt();
    }

    int unusedWindow() {
        return rcv.unusedWindow();
    }

    int ackCount() {
        return ackCount;
    }

    /**
     * The smallest payload {@code share} keeps as a slice; a shorter one is copied. A kept slice pins the whole
     * decrypted datagram (up to an MTU) and makes the endpoint open the next packet into a fresh buffer, which for
     * 100-byte messages cost more than the copy it saved ({@code bench/run secure idle}: +7% of server CPU).
     */
    static final int SHARE_MIN_BYTES = 512;

    /**
     * One PUSH segment ({@code ikcp_input} + {@code ikcp_parse_data}); its payload is copied into a pooled segment,
     * or with {@code share} and at least {@link #SHARE_MIN_BYTES} kept as a retained slice of {@code datagram}.
     *
     * @return false if it was malformed for this engine (larger than our mss: neither kept nor ACKed)
     */
    boolean onPush(ByteBuf datagram, int index, int sn, int ts, int len, boolean share) {
        if (!rcv.withinWindow(sn)) {
            return true; // beyond the window: dropped without an ACK, as ikcp_input does
        }
        if (len > mss) {
            return false; // a peer with a larger MTU: not held and not ACKed, so it is never silently lost
        }
        pushAck(sn, ts);
        if (rcv.isBelowNext(sn)) {
            duplicates++;
            return true;
        }
        KcpSegment seg = pool.acquire();
        seg.sn = sn;
        seg.ts = ts;
        seg.frg = KcpSegmentCodec.frg(datagram, index);
        seg.wnd = KcpSegmentCodec.wnd(datagram, index);
        seg.una = KcpSegmentCodec.una(datagram, index);
        if (share && len >= SHARE_MIN_BYTES) {
            seg.share(datagram.retainedSlice(index + KcpSegmentCodec.HEADER_LENGTH, len));
        } else {
            ByteCopy.append(datagram, index + KcpSegmentCodec.HEADER_LENGTH, len, seg.data);
        }
        if (!rcv.insert(seg)) {
            duplicates++;
            pool.release(seg);
        }
        rcv.moveToQueue();
        return true;
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

    /**
     * Writes every pending ACK ({@code ikcp_flush}'s first part) and forgets them.
     *
     * <p>With ACK repetition on, the ACKs of the previous batch for segments still above {@code rcv_nxt} are written
     * again first. KCP ACKs one segment each and {@code una} cannot cover a segment above a hole, so a lost ACK
     * datagram otherwise makes the sender resend segments that arrived (about the reverse loss rate of all segments
     * while any hole is open). The copy travels in the next ACK datagram, a few hundred microseconds later, so its
     * echoed timestamp is still a fair RTT sample; a sender ignores an ACK for a segment it no longer holds.
     */
    void writeAcks(DatagramWriter writer, int wnd) {
        int una = rcv.rcvNxt();
        if (repeatAcks && ackCount > 0) {
            for (int i = 0; i < repeatCount; i++) {
                if (repeatList[2 * i] - una >= 0) {
                    writer.control(KcpSegmentCodec.CMD_ACK, wnd, repeatList[2 * i + 1], repeatList[2 * i], una);
                }
            }
            repeatCount = 0;
            for (int i = 0; i < ackCount && repeatCount < MAX_REPEATED_ACKS; i++) {
                if (ackList[2 * i] - una >= 0) {
                    repeatList[2 * repeatCount] = ackList[2 * i];
                    repeatList[2 * repeatCount + 1] = ackList[2 * i + 1];
                    repeatCount++;
                }
            }
        }
        for (int i = 0; i < ackCount; i++) {
            writer.control(KcpSegmentCodec.CMD_ACK, wnd, ackList[2 * i + 1], ackList[2 * i], una);
        }
        ackCount = 0;
    }

    /** True while a WINS is owed because a read made room in a full queue. */
    boolean windowReopenedPending() {
        return windowReopened;
    }

    /** True once after a read made room in a full queue. */
    boolean takeWindowReopened() {
        boolean r = windowReopened;
        windowReopened = false;
        return r;
    }

    int peekSize() {
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

    ByteBuf pollMessage() {
        int size = peekSize();
        if (size < 0) {
            return null;
        }
        boolean wasFull = rcv.isQueueFull();
        ArrayDeque<KcpSegment> queue = rcv.queue();
        KcpSegment seg = queue.peekFirst();
        if (seg.frg == 0 && headReadOffset == 0 && seg.isShared()) {
            // A whole one-segment message (every segment, in stream mode) kept as a slice: handed over, not copied.
            queue.pollFirst();
            ByteBuf out = seg.takeShared();
            pool.release(seg);
            afterRead(wasFull, size);
            return out;
        }
        ByteBuf out = allocator.heapBuffer(Math.max(size, 1));
        while ((seg = queue.pollFirst()) != null) {
            ByteBuf payload = seg.payload();
            ByteCopy.append(payload, payload.readerIndex() + headReadOffset, seg.len() - headReadOffset, out);
            headReadOffset = 0;
            int frg = seg.frg;
            pool.release(seg);
            if (frg == 0) {
                break;
            }
        }
        afterRead(wasFull, size);
        return out;
    }

    /** Copies in-order stream bytes into {@code dst}'s writable space; returns the count. */
    int receiveStream(ByteBuf dst) {
        boolean wasFull = rcv.isQueueFull();
        int copied = 0;
        ArrayDeque<KcpSegment> queue = rcv.queue();
        KcpSegment seg;
        while (dst.isWritable() && (seg = queue.peekFirst()) != null) {
            int n = Math.min(dst.writableBytes(), seg.len() - headReadOffset);
            ByteBuf payload = seg.payload();
            ByteCopy.append(payload, payload.readerIndex() + headReadOffset, n, dst);
            copied += n;
            headReadOffset += n;
            if (headReadOffset == seg.len()) {
                queue.pollFirst();
                headReadOffset = 0;
                pool.release(seg);
            }
        }
        if (copied > 0) {
            afterRead(wasFull, copied);
        }
        return copied;
    }

    /** The tail of {@code ikcp_recv}: refill the queue and, if it had been full, tell the peer ("fast recover"). */
    private void afterRead(boolean wasFull, int bytes) {
        bytesDelivered += bytes;
        rcv.moveToQueue();
        if (wasFull && !rcv.isQueueFull()) {
            windowReopened = true;
        }
    }

    /** Drops the receive ring when it is empty (see {@link ReceiveBuffer#trim}). */
    void trim() {
        rcv.trim();
    }

    void close() {
        rcv.clear(pool);
        ackCount = 0;
    }
}
