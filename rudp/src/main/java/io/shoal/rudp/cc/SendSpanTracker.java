package io.shoal.rudp.cc;

/**
 * Follows KCP's send sequence from the controller hooks: segments sent for the first time ({@code snd_nxt}), the
 * cumulative {@code snd_una}, and the segments still in the send buffer. CUBIC counts recovery epochs and rounds in
 * these units, and both controllers read the buffered count as their bytes-in-flight estimate.
 *
 * <p>New sends count {@code snd_nxt}, {@code onAck}'s una advance counts {@code snd_una}, and the send buffer's
 * segment count comes from the hooks. No allocation; single-threaded.
 */
final class SendSpanTracker {
    private final int mss;
    private long sentSegments;
    private long ackedSegments;
    private int bufferedSegments;

    SendSpanTracker(int mss) {
        this.mss = mss;
    }

    /** From {@link CongestionController#onSent}. */
    void onSent(int inflightSegments, boolean retransmit) {
        if (!retransmit) {
            sentSegments++;
        }
        bufferedSegments = inflightSegments;
    }

    /** From {@link CongestionController#onAck}. */
    void onAck(int ackedSegments, int ackedBytes, int priorInflightSegments) {
        if (ackedSegments > 0) {
            this.ackedSegments += ackedSegments;
        }
        // Segments removed by this datagram, estimated from their bytes (exact for full segments).
        int removed = (int) ((Math.max(0, ackedBytes) + (long) mss - 1) / mss);
        bufferedSegments = Math.max(0, priorInflightSegments - removed);
    }

    /** {@code snd_nxt} as a count of segments sent once. */
    long sentSegments() {
        return sentSegments;
    }

    /** {@code snd_una} as a count of segments. */
    long ackedSegments() {
        return ackedSegments;
    }

    /** Segments still in KCP's send buffer (not acknowledged in any way). */
    int bufferedSegments() {
        return bufferedSegments;
    }
}
