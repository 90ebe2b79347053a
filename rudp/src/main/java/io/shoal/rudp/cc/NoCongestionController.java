package io.shoal.rudp.cc;

/** KCP's {@code nc = 1}: no congestion window, no pacing; only the send and remote windows limit sending. */
public final class NoCongestionController implements CongestionController {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public int cwndSegments() {
        return UNLIMITED;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return 0;
    }

    @Override
    public void onSent(long nowNs, int bytes, int inflightSegments, boolean retransmit) {
    }

    @Override
    public void onAck(long nowNs, int ackedSegments, int ackedBytes, int priorInflightSegments,
                      int remoteWindowSegments, RateSample sample) {
    }

    @Override
    public void onFastRetransmit(long nowNs, int segments, int inflightSegments) {
    }

    @Override
    public void onRetransmitTimeout(long nowNs, int inflightSegments) {
    }
}
