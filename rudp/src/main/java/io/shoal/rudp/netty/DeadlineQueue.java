package io.shoal.rudp.netty;

import java.util.Arrays;

/**
 * The per-socket timer queue: a binary min-heap of conversations ({@link Entry}) ordered by their one deadline
 * (absolute nanoseconds, compared by subtraction so {@code nanoTime} wrap-around is harmless). Each entry stores its
 * own heap index, so updating or removing an entry is O(log n) with no allocation and no scan of all conversations.
 * Event-loop confined. Public so the secure session layer ({@code io.shoal.rudp.session}) uses the same heap.
 */
public final class DeadlineQueue<E extends DeadlineQueue.Entry> {
    /** What the queue orders: each entry carries its own deadline and heap position. */
    public abstract static class Entry {
        /** Position in the heap, -1 when not queued; written only by the queue. */
        int heapIndex = -1;
        /** The deadline the entry is queued at; written only by the queue. */
        long queuedDeadlineNs;
    }

    private Entry[] heap = new Entry[16];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest queued entry, or null. */
    @SuppressWarnings("unchecked")
    public E peek() {
        return size == 0 ? null : (E) heap[0];
    }

    /** Puts {@code c} in the queue at {@code deadlineNs}, or moves it there if it is queued already. */
    public void schedule(E c, long deadlineNs) {
        if (c.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            c.queuedDeadlineNs = deadlineNs;
            c.heapIndex = size;
            heap[size++] = c;
            siftUp(c.heapIndex);
            return;
        }
        long old = c.queuedDeadlineNs;
        c.queuedDeadlineNs = deadlineNs;
        if (deadlineNs - old < 0) {
            siftUp(c.heapIndex);
        } else {
            siftDown(c.heapIndex);
        }
    }

    /** Takes {@code c} out of the queue; a no-op when it is not queued. */
    public void remove(E c) {
        int i = c.heapIndex;
        if (i < 0) {
            return;
        }
        c.heapIndex = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private void siftUp(int i) {
        Entry c = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (c.queuedDeadlineNs - p.queuedDeadlineNs >= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = c;
        c.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry c = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].queuedDeadlineNs - heap[child].queuedDeadlineNs < 0) {
                child = right;
            }
            if (heap[child].queuedDeadlineNs - c.queuedDeadlineNs >= 0) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = c;
        c.heapIndex = i;
    }
}
