package io.shoal.rudp.session;

/**
 * The graceful-close state of one connection ({@code PROTOCOL.md} section 6): whether this side started the close,
 * whether its CLOSE went out and the peer's came in, and when to resend its CLOSE (max(100 ms, 2 RTO), doubling up
 * to 1 s) while the peer's is missing, and when to give up (the close timeout, armed when the close starts on either
 * side). Sends nothing itself: {@link SecureConnection} asks {@link #due} and reports
 * {@link #onSent}.
 */
final class CloseExchange {
    private static final long MIN_RESEND_NS = 100_000_000L;
    private static final long MAX_RESEND_NS = 1_000_000_000L;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private boolean sent;
    private boolean peerClosed;
    private boolean localFirst;
    private String localText;
    private long resendNs;
    private long resendAtNs = NO_DEADLINE;
    private long giveUpAtNs = NO_DEADLINE;

    /** The close started at {@code nowNs}, by either side: it must be over by {@code nowNs + timeoutNs}. */
    void arm(final long nowNs, final long timeoutNs) {
        if (giveUpAtNs == NO_DEADLINE) {
            giveUpAtNs = nowNs + timeoutNs;
        }
    }

    /** @return whether the close timeout passed before both CLOSEs were exchanged */
    boolean expired(final long nowNs) {
        return !complete() && nowNs - giveUpAtNs >= 0;
    }

    /** The application closed first, with {@code text} (may be null) for the peer. */
    void startLocally(final String text) {
        if (!peerClosed) {
            localFirst = true;
        }
        localText = text;
    }

    /** The peer's graceful CLOSE arrived. */
    void onPeerClose() {
        peerClosed = true;
        resendAtNs = NO_DEADLINE;
    }

    /** @return whether our CLOSE should go out now: first once our data is all acknowledged, then on the timer */
    boolean due(final long nowNs, final boolean drained) {
        if (!sent) {
            return drained;
        }
        return !peerClosed && nowNs - resendAtNs >= 0;
    }

    /** Our CLOSE went out at {@code nowNs}; {@code rtoNs} is the connection's current RTO. */
    void onSent(final long nowNs, final long rtoNs) {
        resendNs = sent ? Math.min(resendNs * 2, MAX_RESEND_NS) : Math.max(MIN_RESEND_NS, 2 * rtoNs);
        sent = true;
        resendAtNs = peerClosed ? NO_DEADLINE : nowNs + resendNs;
    }

    /** @return whether both CLOSEs were exchanged */
    boolean complete() {
        return sent && peerClosed;
    }

    /** @return whether our graceful CLOSE was sent (so a repeated CLOSE from the peer deserves an answer) */
    boolean sent() {
        return sent;
    }

    /** @return LOCAL_CLOSE when this side started, PEER_CLOSE otherwise */
    CloseReason reason() {
        return localFirst ? CloseReason.LOCAL_CLOSE : CloseReason.PEER_CLOSE;
    }

    /** @return the text for our CLOSE, or null */
    String localText() {
        return localText;
    }

    /** @return when our CLOSE is due again or the close times out, whichever is first, or {@link Long#MAX_VALUE} */
    long deadlineNs() {
        return Math.min(resendAtNs, giveUpAtNs);
    }

    /** Stops the resend timer (the connection ended another way). */
    void stop() {
        resendAtNs = NO_DEADLINE;
        giveUpAtNs = NO_DEADLINE;
    }
}
