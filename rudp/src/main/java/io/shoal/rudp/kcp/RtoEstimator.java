package io.shoal.rudp.kcp;

/**
 * Smoothed RTT and retransmission timeout as {@code ikcp_update_ack} computes them: RFC 6298's estimator with the
 * flush interval as the clock granularity G, integer milliseconds, and KCP's floor ({@code rx_minrto}: 100 ms, or
 * 30 ms in nodelay mode) and ceiling (60 s).
 */
final class RtoEstimator {
    static final int RTO_DEFAULT_MS = 200; // IKCP_RTO_DEF
    static final int RTO_MAX_MS = 60_000; // IKCP_RTO_MAX

    private final int minRtoMs;
    private final int intervalMs;
    private int srttMs;
    private int rttVarMs;
    private int rtoMs = RTO_DEFAULT_MS;

    RtoEstimator(int minRtoMs, int intervalMs) {
        this.minRtoMs = minRtoMs;
        this.intervalMs = intervalMs;
    }

    /** Takes one RTT sample in ms (RFC 6298 section 2.2 and 2.3, alpha 1/8, beta 1/4). */
    void onSample(int rttMs) {
        if (srttMs == 0) {
            srttMs = rttMs;
            rttVarMs = rttMs / 2;
        } else {
            int delta = Math.abs(rttMs - srttMs);
            rttVarMs = (3 * rttVarMs + delta) / 4;
            srttMs = (7 * srttMs + rttMs) / 8;
            if (srttMs < 1) {
                srttMs = 1;
            }
        }
        int rto = srttMs + Math.max(intervalMs, 4 * rttVarMs);
        rtoMs = Math.min(Math.max(minRtoMs, rto), RTO_MAX_MS);
    }

    int srttMs() {
        return srttMs;
    }

    int rttVarMs() {
        return rttVarMs;
    }

    int rtoMs() {
        return rtoMs;
    }
}
