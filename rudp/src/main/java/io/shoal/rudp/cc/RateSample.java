package io.shoal.rudp.cc;

/**
 * A delivery-rate sample, as in draft-cheng-iccrg-delivery-rate-estimation: how many bytes were delivered over
 * what interval, measured from the newest segment acknowledged by one input datagram.
 *
 * <p>Mutable and reused by the engine for every ACK, so a controller must copy the values it keeps.
 */
public final class RateSample {
    /** Bytes delivered between the sampled segment's send and its acknowledgement. */
    public long deliveredBytes;
    /** The interval those bytes took, in nanoseconds; {@code <= 0} means "no valid sample". */
    public long intervalNs;
    /** RTT of the sampled segment in nanoseconds, or -1 when not known. */
    public long rttNs;
    /** True when the sender was application-limited when the sampled segment was sent. */
    public boolean appLimited;
    /** Total bytes delivered on the connection so far (the engine's {@code delivered} counter). */
    public long totalDeliveredBytes;
    /** Segments declared lost since the previous sample (timeouts and fast retransmits). */
    public int lostSegments;

    /** Delivery rate in bytes per second, or 0 when the sample is not valid. */
    public long deliveryRateBytesPerSecond() {
        if (intervalNs <= 0 || deliveredBytes <= 0) {
            return 0;
        }
        return (long) (deliveredBytes * 1_000_000_000.0 / intervalNs);
    }

    public void reset() {
        deliveredBytes = 0;
        intervalNs = 0;
        rttNs = -1;
        appLimited = false;
        lostSegments = 0;
    }
}
