package io.shoal.rudp.kcp;

import java.util.ArrayDeque;

/**
 * KCP's receive side: {@code rcv_buf} (out-of-order segments inside the window, a ring by serial number) and
 * {@code rcv_queue} (in-order segments the application has not read yet). {@code rcv_nxt} is the next serial
 * number expected; the advertised window is {@code rcv_wnd - nrcv_que} ({@code ikcp_wnd_unused}).
 *
 * <p>Both parts start small and grow with use, so an idle connection holds almost nothing: the ring doubles when a
 * segment lands beyond it (up to the window's power of two) and {@link #trim} drops it when it is empty; the queue
 * is an {@link ArrayDeque} that grows by itself.
 */
final class ReceiveBuffer {
    private static final KcpSegment[] EMPTY = new KcpSegment[0];
    private static final int MIN_SLOTS = 8;

    private final int capacity;
    private KcpSegment[] slots = EMPTY;
    private int mask = -1;
    private final int window;
    private final ArrayDeque<KcpSegment> queue = new ArrayDeque<>(1);
    private int rcvNxt;
    private int bufferedCount;

    ReceiveBuffer(int windowSegments) {
        this.window = windowSegments;
        this.capacity = Integer.highestOneBit(Math.max(2, windowSegments) - 1) << 1;
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
        while (seg.sn - rcvNxt >= slots.length) {
            grow();
        }
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
        while (bufferedCount > 0 && queue.size() < window) {
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

    /** Drops the ring when it holds nothing; the next {@link #insert} allocates a small one. */
    void trim() {
        if (bufferedCount == 0) {
            slots = EMPTY;
            mask = -1;
        }
    }

    /** Doubles the ring; every held segment moves to the slot its serial number names in the bigger one. */
    private void grow() {
        KcpSegment[] bigger = new KcpSegment[Math.min(capacity, Math.max(MIN_SLOTS, 2 * slots.length))];
        int biggerMask = bigger.length - 1;
        for (KcpSegment seg : slots) {
            if (seg != null) {
                bigger[seg.sn & biggerMask] = seg;
            }
        }
        slots = bigger;
        mask = biggerMask;
    }
}
