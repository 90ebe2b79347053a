package io.shoal.rudp.kcp;

import io.shoal.rudp.cc.RateSample;

/**
 * Delivery-rate estimation as in draft-cheng-iccrg-delivery-rate-estimation: each transmission records how much had
 * been delivered and when; each acknowledgement turns the newest such record into a {@link RateSample} for the
 * congestion controller. One instance per engine; nothing allocated per packet.
 */
final class DeliveryRateSampler {
    private long deliveredBytes;
    private long deliveredNs;
    private long firstSentNs;
    /** Non-zero while app-limited: the delivered count at which the limited period ends (draft 3.4). */
    private long appLimitedUntil;

    private final RateSample sample = new RateSample();
    private long priorDelivered = -1;
    private long priorNs;
    private long intervalNs;
    private int lostSinceSample;

    long deliveredBytes() {
        return deliveredBytes;
    }

    /** Section 3.2: stamp a segment as it is (re)transmitted. */
    void onSent(KcpSegment seg, long nowNs, boolean nothingInFlight) {
        if (nothingInFlight) {
            firstSentNs = nowNs;
            deliveredNs = nowNs;
        }
        seg.sentNs = nowNs;
        seg.deliveredAtSend = deliveredBytes;
        seg.deliveredNsAtSend = deliveredNs;
        seg.firstSentNsAtSend = firstSentNs;
        seg.appLimitedAtSend = appLimitedUntil != 0;
    }

    /**
     * Section 3.3: a segment was acknowledged (selectively or by {@code una}).
     *
     * @param ambiguous the acknowledgement may belong to an earlier copy than the last one sent (a resent segment
     *     covered by {@code una}, or an ACK echoing an older timestamp). Its bytes count as delivered, but it never
     *     becomes the sample's packet: its send stamps are a recent retransmission's, so it would yield a near-zero
     *     RTT, an inflated rate and a BBR round that ends at once.
     */
    void onAcked(KcpSegment seg, long nowNs, boolean ambiguous) {
        deliveredBytes += seg.len();
        deliveredNs = nowNs;
        if (!ambiguous && (seg.deliveredAtSend > priorDelivered || priorDelivered < 0)) {
            priorDelivered = seg.deliveredAtSend;
            priorNs = seg.deliveredNsAtSend;
            long sendElapsed = seg.sentNs - seg.firstSentNsAtSend;
            long ackElapsed = deliveredNs - priorNs;
            intervalNs = Math.max(sendElapsed, ackElapsed);
            firstSentNs = seg.sentNs;
            sample.appLimited = seg.appLimitedAtSend;
            sample.rttNs = nowNs - seg.sentNs;
        }
        if (appLimitedUntil != 0 && deliveredBytes > appLimitedUntil) {
            appLimitedUntil = 0;
        }
    }

    void onLost(int segments) {
        lostSinceSample += segments;
    }

    /** Section 3.4: the application has no more to send and the window is not full. */
    void onAppLimited(long inflightBytes) {
        appLimitedUntil = Math.max(1, deliveredBytes + inflightBytes);
    }

    /** Finishes the sample for one input datagram, or returns null when nothing new was acknowledged. */
    RateSample takeSample() {
        if (priorDelivered < 0) {
            return null;
        }
        sample.deliveredBytes = deliveredBytes - priorDelivered;
        sample.intervalNs = intervalNs;
        sample.totalDeliveredBytes = deliveredBytes;
        sample.lostSegments = lostSinceSample;
        lostSinceSample = 0;
        priorDelivered = -1;
        return sample;
    }
}
