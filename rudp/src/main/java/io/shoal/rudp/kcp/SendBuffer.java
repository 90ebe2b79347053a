package io.shoal.rudp.kcp;

/**
 * KCP's {@code snd_buf}: segments sent and not yet acknowledged, in a ring indexed by serial number.
 *
 * <p>{@code ikcp.c} keeps a sorted linked list and scans it per ACK; the ring gives the same iteration order
 * ({@code una} to {@code nxt}, skipping acknowledged slots) with O(1) ACK lookup. Serial numbers are 32-bit and
 * compared by subtraction, so wrap-around is harmless.
 */
final class SendBuffer {
    private final KcpSegment[] slots;
    private final int mask;
    private int una;
    private int nxt;
    private int count;

    SendBuffer(int windowSegments) {
        int capacity = Integer.highestOneBit(Math.max(2, windowSegments) - 1) << 1;
        this.slots = new KcpSegment[capacity];
        this.mask = capacity - 1;
    }

    int capacity() {
        return slots.length;
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
        return nxt - una >= slots.length;
    }

    /** Appends a segment with serial number {@code nxt} and returns that number. */
    int append(KcpSegment seg) {
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
}
