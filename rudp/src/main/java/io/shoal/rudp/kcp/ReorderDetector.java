package io.shoal.rudp.kcp;

/**
 * RACK-style time-based loss detection (RFC 8985) for the engine outside KCP-classic mode, in the engine's millisecond
 * clock. KCP's fast retransmit resends a segment after {@code resend} later ACKs, so plain reordering (jitter) makes
 * it fire; RACK instead calls a segment lost only when a segment <em>sent after it</em> has been delivered and more
 * than a reorder window has passed beyond the RTT that delivery implies.
 *
 * <p>State ({@code RACK.xmit_ts}, {@code RACK.end_seq}, {@code RACK.rtt}): the send time, serial number and RTT of
 * the most recently sent segment known delivered. KCP ACKs echo the {@code ts} of the copy that arrived, so the send
 * time of a delivered copy is exact even for retransmitted segments (no retransmission ambiguity).
 *
 * <p>The reorder window is {@code mult * minRtt / 4}, at least 1 ms and at most srtt (RFC 8985 6.2). Unlike RFC 8985
 * it is not 0 before reordering is seen: KCP repeats a lost ACK datagram's ACKs only in the next ACK batch, so
 * with a 0 window every lost ACK datagram made a spurious resend (BBR at 5% loss: 4617 instead of 680). {@code mult}
 * grows by one, at most once per round trip, each time a retransmission proves spurious, and falls back to 1 after
 * {@value #PERSIST_RECOVERIES} recoveries without one.
 */
final class ReorderDetector {
    /** RFC 8985 6.2: recoveries after which a widened window returns to its base. */
    static final int PERSIST_RECOVERIES = 16;
    /** {@link #lossDelayMs} for a segment no later-sent delivery can declare lost yet. */
    static final int NOT_ELIGIBLE = Integer.MAX_VALUE;
    private static final int MAX_MULT = 64;

    private boolean hasRack;
    private int rackTs;
    private int rackSn;
    private int rackRttMs;
    private int minRttMs = Integer.MAX_VALUE;
    private int mult = 1;
    private int persist;
    private boolean widenedOnce;
    /** Engine ms of the earliest loss deadline the last scan from {@code snd_una} found, if {@link #hasDeadline}. */
    private int deadlineMs;
    private boolean hasDeadline;
    private int widenedAtMs;

    /**
     * A segment copy sent at {@code sentTs} with serial number {@code sn} was delivered (its ACK arrived now).
     *
     * @return true when it moved the RACK state forward (a newer send was delivered)
     */
    boolean onDelivered(int sentTs, int sn, int currentMs) {
        int rttMs = currentMs - sentTs;
        if (rttMs < 0) {
            return false; // an echo from the future: corrupt or foreign, ignore
        }
        if (rttMs < minRttMs) {
            minRttMs = rttMs;
        }
        if (hasRack && (sentTs - rackTs < 0 || (sentTs == rackTs && sn - rackSn <= 0))) {
            return false;
        }
        hasRack = true;
        rackTs = sentTs;
        rackSn = sn;
        rackRttMs = rttMs;
        return true;
    }

    /** A retransmission proved spurious: widen the reorder window (once per round trip). */
    void onSpurious(int currentMs, int srttMs) {
        persist = PERSIST_RECOVERIES;
        if (widenedOnce && currentMs - widenedAtMs < Math.max(1, srttMs)) {
            return;
        }
        widenedOnce = true;
        widenedAtMs = currentMs;
        if (mult < MAX_MULT) {
            mult++;
        }
    }

    /** A loss recovery (a flush that resent on RACK) ended; after enough without a spurious one the window resets. */
    void onRecovery() {
        if (persist > 0 && --persist == 0) {
            mult = 1;
        }
    }

    /** The reorder window in ms: {@code mult * minRtt / 4}, clamped to [1, srtt]. */
    int reorderWindowMs(int srttMs) {
        int base = minRttMs == Integer.MAX_VALUE ? 0 : minRttMs / 4;
        long wnd = (long) mult * base;
        if (srttMs > 0 && wnd > srttMs) {
            wnd = srttMs;
        }
        return (int) Math.max(1, wnd);
    }

    /**
     * How long until the segment last sent at {@code sentTs} (serial {@code sn}) counts as lost, in ms (0 or less:
     * lost now), or {@link #NOT_ELIGIBLE} while no segment sent after it has been delivered. Wrap-safe.
     */
    int lossDelayMs(int sentTs, int sn, int reorderWindowMs, int currentMs) {
        if (!hasRack || sentTs - rackTs > 0 || (sentTs == rackTs && sn - rackSn >= 0)) {
            return NOT_ELIGIBLE;
        }
        return sentTs + rackRttMs + reorderWindowMs - currentMs;
    }

    /** {@code RACK.end_seq}: the serial number of the most recently sent delivered segment (valid once one is). */
    int rackSn() {
        return rackSn;
    }

    /** A scan from {@code snd_una} starts: it notes every pending deadline again. */
    void clearDeadline() {
        hasDeadline = false;
    }

    /** Keeps the earliest of the deadlines (engine ms, wrapping) noted since {@link #clearDeadline}. */
    void noteDeadline(int atMs) {
        if (!hasDeadline || atMs - deadlineMs < 0) {
            hasDeadline = true;
            deadlineMs = atMs;
        }
    }

    boolean deadlineDue(int currentMs) {
        return hasDeadline && currentMs - deadlineMs >= 0;
    }

    /** The earliest pending loss deadline in engine ms, valid while {@link #hasDeadline()}. */
    int deadlineMs() {
        return deadlineMs;
    }

    boolean hasDeadline() {
        return hasDeadline;
    }

    int multiplier() {
        return mult;
    }
}
