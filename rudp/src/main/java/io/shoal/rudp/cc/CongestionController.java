package io.shoal.rudp.cc;

/**
 * One congestion controller per connection, driven by the KCP engine on its single thread.
 *
 * <p>The hooks mirror KCP 2.0's {@code IKCPOPS} ({@code ikcp.h}) and quinn's {@code Controller} trait, in shoal's
 * units: nanoseconds for time, bytes for data, segments for windows. The engine calls them in this order within one
 * flush: {@link #onFlushStart}, then {@link #onSent} per segment written, then {@link #onFastRetransmit} and
 * {@link #onRetransmitTimeout} if the flush resent anything, then {@link #onFlushEnd}. Per input datagram that
 * acknowledged new data (by {@code una} or selectively) it calls {@link #onAck} once, after {@link #onRttSample} for
 * every ACK in it.
 *
 * <p>Implementations must not allocate on these paths: they run for every packet.
 */
public interface CongestionController {

    /** Window value meaning "the controller does not limit the window" (KCP's {@code nc = 1}). */
    int UNLIMITED = Integer.MAX_VALUE;

    /** Short name, as used on the command line ({@code kcp}, {@code none}, {@code cubic}, {@code bbr}). */
    String name();

    /**
     * The congestion window in segments; {@link #UNLIMITED} to leave sending to the flow-control windows.
     *
     * <p>By default it limits the segments still in the network: sent and acknowledged neither by {@code una} nor
     * selectively (RFC 6675's "pipe", what CUBIC and BBR are specified against). A controller that returns true from
     * {@link #windowSpansFromUna()} limits {@code snd_nxt - snd_una} instead, as {@code ikcp_flush} does.
     */
    int cwndSegments();

    /** True when {@link #cwndSegments()} limits the span from {@code snd_una} (KCP classic); false for the pipe. */
    default boolean windowSpansFromUna() {
        return false;
    }

    /** Pacing rate in bytes per second; 0 means "do not pace" (the engine sends a window as fast as allowed). */
    long pacingRateBytesPerSecond();

    /** Start of a flush: the window used for the rest of this flush is read after this call. */
    default void onFlushStart(long nowNs) {
    }

    /** End of a flush, after the loss hooks. KCP classic forces {@code cwnd >= 1} here. */
    default void onFlushEnd(long nowNs) {
    }

    /**
     * A data segment goes on the wire.
     *
     * @param bytes payload bytes of the segment
     * @param inflightSegments segments unacknowledged in the send buffer, this one included
     * @param retransmit true for a retransmission (timeout or fast)
     */
    void onSent(long nowNs, int bytes, int inflightSegments, boolean retransmit);

    /** One RTT sample from an ACK, as {@code ikcp_update_ack} takes it (now minus the echoed timestamp). */
    default void onRttSample(long nowNs, long rttNs) {
    }

    /**
     * An input datagram acknowledged new data: the cumulative {@code una} advanced, or segments above it were
     * acknowledged selectively (then {@code ackedSegments} is 0).
     *
     * @param ackedSegments how far {@code snd_una} advanced (0 for a purely selective acknowledgement)
     * @param ackedBytes payload bytes of every segment removed from the send buffer by this datagram
     * @param priorInflightSegments segments in flight before the datagram was processed
     * @param remoteWindowSegments the peer's advertised free receive window
     * @param sample the delivery-rate sample for the newest acknowledged segment; reused, copy what you keep
     */
    void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments, int remoteWindowSegments,
               RateSample sample);

    /**
     * The flush resent {@code segments} segments on duplicate ACKs.
     *
     * @param inflightSegments {@code snd_nxt - snd_una} after the flush
     */
    void onFastRetransmit(long nowNs, int segments, int inflightSegments);

    /** The flush resent at least one segment because its retransmission timer expired. */
    void onRetransmitTimeout(long nowNs, int inflightSegments);

    /**
     * A retransmission proved spurious: its ACK echoed the timestamp of an earlier copy (Eifel detection, RFC 3522;
     * called outside KCP-classic mode only). For a timeout retransmission a controller undoes the response it made
     * in {@link #onRetransmitTimeout} (RFC 4015); the default ignores it.
     *
     * @param afterTimeout true when the spurious copy was sent on a retransmission timeout, false for a fast one
     */
    default void onSpuriousRetransmit(long nowNs, boolean afterTimeout) {
    }

    /** The application has nothing queued and fewer than a window's segments are in flight. */
    default void onAppLimited(long nowNs, int inflightSegments) {
    }
}
