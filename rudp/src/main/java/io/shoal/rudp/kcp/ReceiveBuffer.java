package io.shoal.rudp.kcp;

import java.util.ArrayDeque;

/**
 * KCP's receive side: {@code rcv_buf} (out-of-order segments inside the window, a ring by serial number) and
 * {@code rcv_queue} (in-order segments the application has not read yet). {@code rcv_nxt} is the next serial
 * number expected; the advertised window is {@code rcv_wnd - nrcv_que} ({@code ikcp_wnd_unused}).
 */
final class ReceiveBuffer {
    private final KcpSegment[] slots;
    private final int mask;
    private final int window;
    private final ArrayDeque<KcpSegment> queue;
    private int rcvNxt;
    private int bufferedCount;

    ReceiveBuffer(int windowSegments) {
        this.window = windowSegments;
        int capacity = Integer.highestOneBit(Math.max(2, windowSegments) - 1) << 1;
        this.slots = new KcpSegment[capacity];
        this.mask = capacity - 1;
        this.queue = new ArrayDeque<>(Math.min(windowSegments, 1024));
    }

    int rcvNxt() {
        return rcvNxt;
    }

    int queueCount() {
        return queue.size();
    }

    int bufferedCount() {
        return bufferedCount;
    }

    ArrayDeque<KcpSegment> queue() {
        return queue;
    }

    /** {@code ikcp_wnd_unused}. */
    int unusedWindow() {
        return queue.size() < window ? window - queue.size() : 0;
    }

    /** True when {@code sn} is below {@code rcv_nxt + rcv_wnd}, i.e. the segment is ACKed ({@code ikcp_input}). */
    boolean withinWindow(int sn) {
        return sn - (rcvNxt + window) < 0;
    }

    /** True when {@code sn} was already delivered to the queue. */
    boolean isBelowNext(int sn) {
        return sn - rcvNxt < 0;
    }

    /**
     * Stores a segment with {@code rcv_nxt <= sn < rcv_nxt + rcv_wnd} ({@code ikcp_parse_data}).
     *
     * @return false if that serial number is already buffered (the caller recycles the segment)
     */
    boolean insert(KcpSegment seg) {
        int idx = seg.sn & mask;
        if (slots[idx] != null) {
            return false;
        }
        slots[idx] = seg;
        bufferedCount++;
        return true;
    }

    /** Moves in-order segments from the buffer to the queue while the queue has room. */
    void moveToQueue() {
        while (queue.size() < window) {
            int idx = rcvNxt & mask;
            KcpSegment seg = slots[idx];
            if (seg == null || seg.sn != rcvNxt) {
                return;
            }
            slots[idx] = null;
            bufferedCount--;
            queue.addLast(seg);
            rcvNxt++;
        }
    }

    boolean isQueueFull() {
        return queue.size() >= window;
    }

    /** Empties both parts, handing every segment to {@code pool}. */
    void clear(SegmentPool pool) {
        KcpSegment seg;
        while ((seg = queue.pollFirst()) != null) {
            pool.release(seg);
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                pool.release(slots[i]);
                slots[i] = null;
            }
        }
        bufferedCount = 0;
    }
}
