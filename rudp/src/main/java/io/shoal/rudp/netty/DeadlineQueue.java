package io.shoal.rudp.netty;

import java.util.Arrays;

/**
 * The per-socket timer queue: a binary min-heap of conversations ({@link Entry}) ordered by their one deadline
 * (absolute nanoseconds, compared by subtraction so {@code nanoTime} wrap-around is harmless). Each entry stores its
 * own heap index, so updating or removing an entry is O(log n) with no allocation and no scan of all conversations.
 * The heap keys live in a {@code long[]} beside the entries, so sifting compares within one array instead of
 * reading a field of a different object (a cache miss each, with 10,000 connections) at every level.
 *
 * <p>{@link #postpone} is the cheap way to move a deadline later, the common case for idle connections whose
 * keepalive and idle timers every packet pushes back: the entry keeps its earlier place and only remembers the new
 * deadline, and it moves there once, when it reaches the top ({@link #peek()} repairs the top before returning it).
 * So a deadline that moves later a hundred times between two expiries costs one re-sift, not a hundred. The queue
 * thus holds every entry at or before its true deadline, and {@link #peek()} is always exact.
 * Event-loop confined. Public so the secure session layer ({@code io.shoal.rudp.session}) uses the same heap.
 */
public final class DeadlineQueue<E extends DeadlineQueue.Entry> {
    /** What the queue orders: each entry carries its own deadline and heap position. */
    public abstract static class Entry {
        /** Position in the heap, -1 when not queued; written only by the queue. */
        int heapIndex = -1;
        /** The deadline the entry is queued at (its heap key); written only by the queue. */
        long queuedDeadlineNs;
        /** The entry's true deadline, never earlier than {@link #queuedDeadlineNs}; written only by the queue. */
        long deadlineNs;
    }

    private Entry[] heap = new Entry[16];
    /** {@code keys[i] == heap[i].queuedDeadlineNs}. */
    private long[] keys = new long[16];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The entry with the earliest deadline, or null; its queued deadline is its true one. */
    @SuppressWarnings("unchecked")
    public E peek() {
        if (size == 0) {
            return null;
        }
        Entry top = heap[0];
        while (top.deadlineNs != top.queuedDeadlineNs) { // postponed: move it to its true place, once
            top.queuedDeadlineNs = top.deadlineNs;
            keys[0] = top.deadlineNs;
            siftDown(0);
            top = heap[0];
        }
        return (E) top;
    }

    /** Puts {@code c} in the queue at {@code deadlineNs}, or moves it there if it is queued already. */
    public void schedule(E c, long deadlineNs) {
        c.deadlineNs = deadlineNs;
        if (c.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            c.queuedDeadlineNs = deadlineNs;
            c.heapIndex = size;
            heap[size] = c;
            keys[size] = deadlineNs;
            size++;
            siftUp(c.heapIndex);
            return;
        }
        long old = c.queuedDeadlineNs;
        c.queuedDeadlineNs = deadlineNs;
        keys[c.heapIndex] = deadlineNs;
        if (deadlineNs - old < 0) {
            siftUp(c.heapIndex);
        } else {
            siftDown(c.heapIndex);
        }
    }

    /**
     * Like {@link #schedule}, but a deadline at or after the queued one is only remembered, in O(1): the entry moves
     * when it reaches the top. An earlier deadline (or an entry not queued) is scheduled at once.
     */
    public void postpone(E c, long deadlineNs) {
        if (c.heapIndex >= 0 && deadlineNs - c.queuedDeadlineNs >= 0) {
            c.deadlineNs = deadlineNs;
        } else {
            schedule(c, deadlineNs);
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
        long lastKey = keys[size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        heap[i] = last;
        keys[i] = lastKey;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private void siftUp(int i) {
        Entry c = heap[i];
        long key = keys[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long parentKey = keys[parent];
            if (key - parentKey >= 0) {
                break;
            }
            Entry p = heap[parent];
            heap[i] = p;
            keys[i] = parentKey;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = c;
        keys[i] = key;
        c.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry c = heap[i];
        long key = keys[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && keys[right] - keys[child] < 0) {
                child = right;
            }
            long childKey = keys[child];
            if (childKey - key >= 0) {
                break;
            }
            Entry moved = heap[child];
            heap[i] = moved;
            keys[i] = childKey;
            moved.heapIndex = i;
            i = child;
        }
        heap[i] = c;
        keys[i] = key;
        c.heapIndex = i;
    }
}
