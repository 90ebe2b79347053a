package io.shoal.rudp.kcp;

/**
 * KCP's {@code snd_buf}: segments sent and not yet acknowledged, in a ring indexed by serial number.
 *
 * <p>{@code ikcp.c} keeps a sorted linked list and scans it per ACK; the ring gives the same iteration order
 * ({@code una} to {@code nxt}, skipping acknowledged slots) with O(1) ACK lookup. Serial numbers are 32-bit and
 * compared by subtraction, so wrap-around is harmless.
 *
 * <p>The ring is sized to what is in flight, not to the window: it starts empty, doubles when a segment would not
 * fit (up to the window's power of two), and {@link #trim} drops it once nothing is in flight, so an idle
 * connection holds no array. Growing moves each segment to its slot in the bigger ring; iteration order and every
 * result are the same as with a window-sized ring.
 */
final class SendBuffer {
    private static final KcpSegment[] EMPTY = new KcpSegment[0];
    private static final int MIN_SLOTS = 8;

    private final int capacity;
    private KcpSegment[] slots = EMPTY;
    private int mask = -1;
    private int una;
    private int nxt;
    private int count;

    SendBuffer(int windowSegments) {
        this.capacity = Integer.highestOneBit(Math.max(2, windowSegments) - 1) << 1;
    }

    /** Largest number of segments in flight: the window rounded up to a power of two. */
    int capacity() {
        return capacity;
    }

    /** {@code snd_una}: the oldest unacknowledged serial number, or {@code nxt} when empty. */
    int una() {
        return una;
    }

    /** {@code snd_nxt}: the next serial number to assign. */
    int nxt() {
        return nxt;
    }

    /** {@code nsnd_buf}. */
    int count() {
        return count;
    }

    boolean isFull() {
        return nxt - una >= capacity;
    }

    /** Appends a segment with serial number {@code nxt} and returns that number. Not when {@link #isFull()}. */
    int append(KcpSegment seg) {
        if (nxt - una >= slots.length) {
            grow();
        }
        int sn = nxt++;
        seg.sn = sn;
        slots[sn & mask] = seg;
        count++;
        return sn;
    }

    /** The segment with serial number {@code sn}, or null if acknowledged or outside [una, nxt). */
    KcpSegment get(int sn) {
        if (sn - una < 0 || sn - nxt >= 0) {
            return null;
        }
        return slots[sn & mask];
    }

    /** Removes and returns the segment {@code sn} ({@code ikcp_parse_ack}), or null. Does not move {@code una}. */
    KcpSegment remove(int sn) {
        KcpSegment seg = get(sn);
        if (seg != null) {
            slots[sn & mask] = null;
            count--;
        }
        return seg;
    }

    /** Moves {@code una} past acknowledged slots ({@code ikcp_shrink_buf}). */
    void shrink() {
        while (una != nxt && slots[una & mask] == null) {
            una++;
        }
    }

    /** Removes the oldest segment if its serial number is below {@code cumulativeUna}; null otherwise. */
    KcpSegment pollBelow(int cumulativeUna) {
        shrink();
        if (una == nxt || cumulativeUna - una <= 0) {
            return null;
        }
        KcpSegment seg = slots[una & mask];
        slots[una & mask] = null;
        count--;
        una++;
        return seg;
    }

    /** Drops the ring when nothing is in flight; the next {@link #append} allocates a small one. */
    void trim() {
        shrink();
        if (count == 0 && slots != EMPTY) {
            slots = EMPTY;
            mask = -1;
        }
    }

    private void grow() {
        KcpSegment[] bigger = new KcpSegment[Math.min(capacity, Math.max(MIN_SLOTS, 2 * slots.length))];
        int biggerMask = bigger.length - 1;
        for (int sn = una; sn != nxt; sn++) {
            bigger[sn & biggerMask] = slots[sn & mask];
        }
        slots = bigger;
        mask = biggerMask;
    }
}
