package io.shoal.peer.node;

/**
 * Round-trip samples for a connection whose transport reports none (TCP): the time from a request sent while nothing
 * else was outstanding at the peer to the arrival of its block. Only such an unqueued request measures the path; the
 * first block of a pipelined burst behind others would also count the peer's queue. One sample at a time; armed when
 * the connection starts and whenever the torrent sees the peer's pipeline empty. Confined to the event loop.
 */
final class RttProbe {
    private boolean armed = true;
    private int block = -1;
    private long sentNs;

    /** The next request sent is unqueued: time it. */
    void arm() {
        armed = true;
    }

    boolean armed() {
        return armed;
    }

    /** A request for {@code block} left; it is the probe when armed. */
    void onRequestSent(int requestedBlock, long nowNs) {
        if (armed) {
            armed = false;
            block = requestedBlock;
            sentNs = nowNs;
        }
    }

    /** A block arrived: the round trip in nanoseconds when it is the probed one, else 0. */
    long onBlock(int arrivedBlock, long nowNs) {
        if (arrivedBlock != block || block < 0) {
            return 0;
        }
        block = -1;
        return Math.max(1, nowNs - sentNs);
    }
}
