package io.shoal.rudp.cc;

/**
 * No congestion control at all: KCP's {@code nc = 1} ({@code ikcp_nodelay(kcp, …, nc = 1)}).
 *
 * <p>The window is {@link CongestionController#UNLIMITED}, so only the send and remote windows bound what is in
 * flight, and nothing is paced. Loss and timeouts change nothing: that is the point of {@code nc}, which kcptun uses
 * in every mode, trading fairness to other flows for latency (see {@code reference/kcp.md} 1.8). Stateless; public
 * (unlike CUBIC and BBR, reached through {@link CongestionControllers}) because it has nothing to configure.
 */
public final class NoCongestionController implements CongestionController {

    /** A controller that never limits or paces. */
    public NoCongestionController() {
    }

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
