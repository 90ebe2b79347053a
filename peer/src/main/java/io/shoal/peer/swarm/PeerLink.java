package io.shoal.peer.swarm;

/**
 * One connected peer as the {@link TorrentSwarm} sees it: the four BEP 3 flags, the request pipeline (download rate,
 * RTT, depth) and the upload rate to it. Confined to the swarm's thread.
 */
public final class PeerLink {
    private static final long UPLOAD_RATE_WINDOW_NS = 2_000_000_000L;

    final int peer;
    final RequestPipeline pipeline = new RequestPipeline(PipelineConfig.defaults());
    final RateEstimator uploadRate = new RateEstimator(UPLOAD_RATE_WINDOW_NS);
    boolean amChoking = true;
    boolean peerChoking = true;
    boolean amInterested;
    boolean peerInterested;

    PeerLink(int peer) {
        this.peer = peer;
    }

    /** The caller-chosen peer id. */
    public int peer() {
        return peer;
    }

    /** The pipeline: feed it RTT samples and the peer's {@code reqq}. */
    public RequestPipeline pipeline() {
        return pipeline;
    }

    /** True while we choke the peer (its requests are refused). */
    public boolean amChoking() {
        return amChoking;
    }

    /** True while the peer chokes us. */
    public boolean peerChoking() {
        return peerChoking;
    }

    public boolean amInterested() {
        return amInterested;
    }

    public boolean peerInterested() {
        return peerInterested;
    }

    /** Bytes per second we send to the peer, smoothed over about two seconds. */
    public long uploadBytesPerSecond(long nowNs) {
        return uploadRate.bytesPerSecond(nowNs);
    }
}
