package io.shoal.peer.swarm;

import java.util.concurrent.TimeUnit;

/**
 * Knobs of a {@link RequestPipeline}; all times in nanoseconds, rates in bytes per second.
 *
 * @param minDepth                 fewest requests kept outstanding (2: one in service, one queued)
 * @param initialDepth             fewest requests outstanding before the rate estimate has one time constant of data
 *                                 (so a new peer's first round trip already carries a path's worth, not 2 blocks)
 * @param maxDepth                 most requests ever outstanding at one peer
 * @param marginNs                 added to the RTT when sizing the queue, covering the peer's send-side jitter
 * @param initialRttNs             RTT assumed before the first sample
 * @param rateTimeConstantNs       smoothing time constant of the rate estimate
 * @param blockBytes               block size, bytes
 * @param slowBelowBytesPerSecond  peers below this rate are speed class 0
 * @param fastFromBytesPerSecond   peers at or above this rate are speed class 2
 * @param minRequestTimeoutNs      shortest request timeout
 * @param maxRequestTimeoutNs      longest request timeout (libtorrent {@code request_timeout} is 60 s)
 */
public record PipelineConfig(int minDepth, int initialDepth, int maxDepth, long marginNs, long initialRttNs, long rateTimeConstantNs,
                             int blockBytes, long slowBelowBytesPerSecond, long fastFromBytesPerSecond,
                             long minRequestTimeoutNs, long maxRequestTimeoutNs) {
    public PipelineConfig {
        if (minDepth < 1 || initialDepth < minDepth || maxDepth < initialDepth || marginNs < 0 || initialRttNs <= 0 || blockBytes <= 0
                || minRequestTimeoutNs <= 0 || maxRequestTimeoutNs < minRequestTimeoutNs) {
            throw new IllegalArgumentException("bad pipeline config");
        }
    }

    /**
     * Depth 2..250 (at least 32, half a megabyte, until 0.5 s after a peer's first block), 500 ms margin, 0.5 s smoothing (the depth grows by e^(margin / smoothing) per round trip while
     * the link is not yet full: 2 s took 1.5-3 s to fill a 50 Mbit/s, 40 ms path), 16 KiB blocks, timeouts 5..60 s.
     */
    public static PipelineConfig defaults() {
        return new PipelineConfig(2, 32, 250, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(100),
                TimeUnit.MILLISECONDS.toNanos(500), BlockLayout.BLOCK_BYTES, 256 * 1024, 2 * 1024 * 1024,
                TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(60));
    }
}
