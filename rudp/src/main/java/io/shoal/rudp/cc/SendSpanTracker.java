package io.shoal.rudp.cc;

/**
 * Follows KCP's send sequence from the controller hooks, so a controller can translate its window into KCP's.
 *
 * <p>KCP's congestion window limits the span {@code snd_nxt - snd_una} ({@code ikcp_flush}), but segments above
 * {@code snd_una} that the peer already acknowledged selectively are no longer in the network. TCP with SACK limits
 * only the data still in the network (RFC 6675's pipe), and so do CUBIC and BBR as specified. A controller therefore
 * hands KCP its window plus {@link #deliveredAboveUnaSegments()}; otherwise one lost segment, which holds
 * {@code snd_una} back for an RTT or more, stalls sending even though the path is idle.
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
        // Segments removed by this datagram, from their bytes: exact for full segments, low for short ones, which
        // only makes deliveredAboveUnaSegments() smaller (the safe side).
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

    /** Segments between {@code snd_una} and {@code snd_nxt} that the peer already acknowledged selectively. */
    int deliveredAboveUnaSegments() {
        long span = sentSegments - ackedSegments;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, span - bufferedSegments));
    }
}
