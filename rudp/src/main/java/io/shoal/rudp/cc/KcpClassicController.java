package io.shoal.rudp.cc;

/**
 * KCP's built-in congestion window, computed exactly as the reference C {@code ikcp.c} (KCP 2.0 with no
 * {@code IKCPOPS} installed) does, so that traces replay byte for byte.
 *
 * <ul>
 *   <li>{@code cwnd} starts at 0 and is forced to 1 at the end of the first flush;</li>
 *   <li>growth once per input datagram that advances {@code una} ({@code ikcp_input}): +1 in slow start, else
 *       {@code incr += mss*mss/incr + mss/16}, capped by the remote window;</li>
 *   <li>fast retransmit: {@code ssthresh = max(inflight/2, 2)}, {@code cwnd = ssthresh + resend};</li>
 *   <li>retransmission timeout: {@code ssthresh = max(prior_cwnd/2, 2)}, {@code cwnd = 1}.</li>
 * </ul>
 */
public final class KcpClassicController implements CongestionController {
    private static final int THRESH_MIN = 2; // IKCP_THRESH_MIN
    private static final int THRESH_INIT = 2; // IKCP_THRESH_INIT

    private final int mss;
    private final int resend;
    private int cwnd;
    private int incr;
    private int ssthresh = THRESH_INIT;
    private int priorCwnd;

    public KcpClassicController(CcParams params) {
        this.mss = params.mss();
        this.resend = params.fastResend();
    }

    @Override
    public String name() {
        return "kcp";
    }

    @Override
    public int cwndSegments() {
        return cwnd;
    }

    @Override
    public boolean windowSpansFromUna() {
        return true; // ikcp_flush: snd_nxt < snd_una + cwnd
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return 0;
    }

    /** The slow-start threshold in segments (for tests and stats). */
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onFlushStart(long nowNs) {
        priorCwnd = cwnd;
    }

    @Override
    public void onSent(long nowNs, int bytes, int inflightSegments, boolean retransmit) {
    }

    @Override
    public void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments,
                      int remoteWindowSegments, RateSample sample) {
        if (ackedSegments <= 0) {
            return; // ikcp_input grows cwnd only when snd_una advances
        }
        if (cwnd >= remoteWindowSegments) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd++;
            incr += mss;
        } else {
            if (incr < mss) {
                incr = mss;
            }
            incr += (int) (((long) mss * mss) / incr + (mss / 16));
            if ((long) (cwnd + 1) * mss <= incr) {
                cwnd = (incr + mss - 1) / mss;
            }
        }
        if (cwnd > remoteWindowSegments) {
            cwnd = remoteWindowSegments;
            incr = remoteWindowSegments * mss;
        }
    }

    @Override
    public void onFastRetransmit(long nowNs, int segments, int inflightSegments) {
        // ikcp_flush: resent is fastresend, or 0xffffffff when fast resend is off (then no segment is ever "fast").
        ssthresh = Math.max(inflightSegments / 2, THRESH_MIN);
        cwnd = ssthresh + resend;
        incr = cwnd * mss;
    }

    @Override
    public void onRetransmitTimeout(long nowNs, int inflightSegments) {
        ssthresh = Math.max(priorCwnd / 2, THRESH_MIN);
        cwnd = 1;
        incr = mss;
    }

    @Override
    public void onFlushEnd(long nowNs) {
        if (cwnd < 1) {
            cwnd = 1;
            incr = mss;
        }
    }
}
