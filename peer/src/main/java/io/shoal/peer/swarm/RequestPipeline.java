package io.shoal.peer.swarm;

/**
 * How many block requests to keep outstanding at one peer: enough to cover its bandwidth-delay product plus a margin,
 * {@code clamp(rate * (rtt + margin) / blockBytes, minDepth, min(maxDepth, reqq))}, where rate is the smoothed rate
 * of blocks received from it and {@code reqq} is the queue depth the peer advertised in its BEP 10 handshake. Too
 * few requests idle the link between round trips; too many make the endgame and request timeouts slow. A peer that
 * is still ramping up is kept at least {@code minDepth} deep, and each full round trip of data raises the estimate,
 * so the depth grows geometrically until the link, not the pipeline, is the limit.
 *
 * <p>Also derives the peer's speed class (for the picker's affinity) and a request timeout from the same estimate.
 */
public final class RequestPipeline {
    /** libtorrent's default {@code reqq}, also the BEP 10 example value. */
    public static final int DEFAULT_REQQ = 250;

    private final PipelineConfig config;
    private final RateEstimator downloadRate;
    private long srttNs;
    private boolean rttSampled;
    private int peerReqq = DEFAULT_REQQ;
    /** When the first block arrived; -1 before. */
    private long firstBlockNs = -1;

    public RequestPipeline(PipelineConfig config) {
        this.config = config;
        this.downloadRate = new RateEstimator(config.rateTimeConstantNs());
        this.srttNs = config.initialRttNs();
    }

    /** The peer's BEP 10 {@code reqq}; values below 1 are ignored (the default stays). */
    public void onPeerReqq(int reqq) {
        if (reqq >= 1) {
            peerReqq = reqq;
        }
    }

    /** The most requests the peer queues from us, as it advertised ({@link #DEFAULT_REQQ} until it does). */
    public int peerReqq() {
        return peerReqq;
    }

    /**
     * A round-trip sample from the transport, nanoseconds; the first replaces the configured initial guess, later ones
     * are smoothed with gain 1/8, as RFC 6298 does.
     */
    public void onRttSample(long rttNs) {
        if (rttNs <= 0) {
            return;
        }
        if (!rttSampled) {
            rttSampled = true;
            srttNs = rttNs;
        } else {
            srttNs += (rttNs - srttNs) / 8;
        }
    }

    /** The transport's own smoothed RTT (nanoseconds; e.g. a KCP engine's srtt): taken as it is, not smoothed again. */
    public void onSmoothedRtt(long srttNs) {
        if (srttNs > 0) {
            rttSampled = true;
            this.srttNs = srttNs;
        }
    }

    /** A block of {@code bytes} arrived from this peer. */
    public void onBlockReceived(int bytes, long nowNs) {
        if (firstBlockNs < 0) {
            firstBlockNs = nowNs;
        }
        downloadRate.onBytes(bytes, nowNs);
    }

    /** Smoothed rate of blocks from this peer, bytes per second. */
    public long downloadBytesPerSecond(long nowNs) {
        return downloadRate.bytesPerSecond(nowNs);
    }

    public long srttNs() {
        return srttNs;
    }

    /** Whether {@link #srttNs()} comes from the transport (a sample or its smoothed RTT), not the initial guess. */
    public boolean rttMeasured() {
        return rttSampled;
    }

    /** Target number of outstanding requests at {@code nowNs}. */
    public int depth(long nowNs) {
        double bytesInFlight = downloadRate.bytesPerSecond(nowNs) * ((srttNs + config.marginNs()) / 1e9);
        long blocks = (long) Math.ceil(bytesInFlight / config.blockBytes());
        int cap = Math.min(config.maxDepth(), peerReqq);
        // Until the estimate has seen one time constant of data it is still climbing from zero: a new peer is asked
        // for initialDepth blocks at once, and its first round trip of them seeds the estimate at about that depth.
        boolean young = firstBlockNs < 0 || nowNs - firstBlockNs < config.rateTimeConstantNs();
        int floor = young ? config.initialDepth() : config.minDepth();
        return (int) Math.max(Math.min(floor, cap), Math.min(blocks, cap));
    }

    /** Requests to add now, given {@code outstanding} already sent. */
    public int room(int outstanding, long nowNs) {
        return Math.max(0, depth(nowNs) - outstanding);
    }

    /** 0 slow, 1 medium, 2 fast, by the configured thresholds. */
    public int speedClass(long nowNs) {
        long rate = downloadRate.bytesPerSecond(nowNs);
        return rate < config.slowBelowBytesPerSecond() ? 0 : rate < config.fastFromBytesPerSecond() ? 1 : 2;
    }

    /**
     * How long a request may stay unanswered before its block is offered to other peers: four times the time this
     * peer needs to drain {@code outstanding} blocks at its rate, plus two round trips, within the configured bounds.
     */
    public long requestTimeoutNs(int outstanding, long nowNs) {
        long rate = downloadRate.bytesPerSecond(nowNs);
        if (rate <= 0) {
            return config.maxRequestTimeoutNs();
        }
        double drainNs = (double) outstanding * config.blockBytes() / rate * 1e9;
        long timeout = (long) Math.min(config.maxRequestTimeoutNs(), 4 * drainNs + 2 * srttNs);
        return Math.max(config.minRequestTimeoutNs(), timeout);
    }
}
