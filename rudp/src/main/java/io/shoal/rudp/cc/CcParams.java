package io.shoal.rudp.cc;

/**
 * What a controller needs to know about its connection when it is made.
 *
 * @param mss payload bytes per full segment (MTU minus the 24-byte KCP header)
 * @param fastResend KCP's {@code resend}: duplicate-ACK threshold for fast retransmit, 0 when off
 * @param initialRttNs RTT to assume before the first sample
 * @param sendWindowSegments the configured send window (an upper bound for any cwnd)
 */
public record CcParams(int mss, int fastResend, long initialRttNs, int sendWindowSegments) {
    public CcParams {
        if (mss <= 0) {
            throw new IllegalArgumentException("mss must be positive: " + mss);
        }
        if (sendWindowSegments <= 0) {
            throw new IllegalArgumentException("sendWindowSegments must be positive: " + sendWindowSegments);
        }
    }
}
