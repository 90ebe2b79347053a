package io.shoal.peer.node;

import io.shoal.peer.swarm.BlockLayout;
import io.shoal.peer.swarm.RateLimiter;

/**
 * The node's token buckets: global ones under which each torrent hangs its own. Upload buckets hold a quarter second
 * of the rate (sends are smooth), download buckets a full second (requests leave in bursts); never less than four
 * blocks, so one request or block always fits. Rates are bytes per second, 0 = unlimited.
 */
final class RateLimits {
    private static final long MIN_BURST_BYTES = 4L * BlockLayout.BLOCK_BYTES;

    private RateLimits() {
    }

    static RateLimiter upload(long bytesPerSec, RateLimiter parent) {
        return new RateLimiter(bytesPerSec, uploadBurst(bytesPerSec), parent);
    }

    static RateLimiter download(long bytesPerSec, RateLimiter parent) {
        return new RateLimiter(bytesPerSec, downloadBurst(bytesPerSec), parent);
    }

    static void setUpload(RateLimiter limiter, long bytesPerSec) {
        limiter.setRate(requireNonNegative(bytesPerSec), uploadBurst(bytesPerSec));
    }

    static void setDownload(RateLimiter limiter, long bytesPerSec) {
        limiter.setRate(requireNonNegative(bytesPerSec), downloadBurst(bytesPerSec));
    }

    static long requireNonNegative(long bytesPerSec) {
        if (bytesPerSec < 0) {
            throw new IllegalArgumentException("negative rate: " + bytesPerSec);
        }
        return bytesPerSec;
    }

    private static long uploadBurst(long bytesPerSec) {
        return Math.max(MIN_BURST_BYTES, bytesPerSec / 4);
    }

    private static long downloadBurst(long bytesPerSec) {
        return Math.max(MIN_BURST_BYTES, bytesPerSec);
    }
}
