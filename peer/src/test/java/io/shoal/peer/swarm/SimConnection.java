package io.shoal.peer.swarm;

import java.util.ArrayDeque;

/** One side's view of a simulated peer connection: choke/interest flags, pipeline, rates, requests to serve. */
final class SimConnection {
    static final int MAX_SERVE_QUEUE = 500;

    final int remote;
    final RequestPipeline pipeline = new RequestPipeline(PipelineConfig.defaults());
    final RateEstimator uploadRate = new RateEstimator(2_000_000_000L);
    final ArrayDeque<Integer> toServe = new ArrayDeque<>();
    boolean amChoking = true;
    boolean peerChoking = true;
    boolean amInterested;
    boolean peerInterested;

    SimConnection(int remote) {
        this.remote = remote;
    }
}
