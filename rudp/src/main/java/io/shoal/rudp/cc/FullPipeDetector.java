package io.shoal.rudp.cc;

/**
 * BBR's "filled pipe" test (draft-cardwell-iccrg-bbr-congestion-control-00 section 4.3.2.2, {@code tcp_bbr.c}'s
 * {@code bbr_check_full_bw_reached}): STARTUP is over once three round trips in a row failed to raise the bandwidth
 * estimate by 25%. Once true it stays true for the connection. Single-threaded; no allocation.
 */
final class FullPipeDetector {
    private static final double FULL_BW_GROWTH = 1.25;
    private static final int FULL_BW_ROUNDS = 3;

    private boolean filledPipe;
    private long fullBandwidth;
    private int fullBandwidthRounds;

    /** @return whether the pipe was found full */
    boolean filledPipe() {
        return filledPipe;
    }

    /**
     * Counts one ACK's sample: only the first ACK of a round ({@code roundStart}) counts.
     *
     * @param bandwidthBytesPerSecond the model's bandwidth estimate after this ACK
     */
    void onAck(final boolean roundStart, final RateSample sample, final boolean roundMetStandingQueue,
               final long bandwidthBytesPerSecond) {
        if (filledPipe || !roundStart || sample == null) {
            return;
        }
        if (sample.appLimited && !roundMetStandingQueue) {
            // An application-limited round says nothing about the path, unless even its fastest round trip met a
            // standing queue (a quarter BDP; jitter alone rarely lifts a round's minimum that far): a sender that
            // leaves the pipe short cannot keep the bottleneck busy for a whole round. Bursty writers (a peer
            // serving requests, a file read piece by piece) empty their queue every round; without this they never
            // leave STARTUP and keep 2.9 BDP in flight, overflowing the bottleneck queue.
            return;
        }
        if (bandwidthBytesPerSecond >= fullBandwidth * FULL_BW_GROWTH) {
            fullBandwidth = bandwidthBytesPerSecond;
            fullBandwidthRounds = 0;
            return;
        }
        if (++fullBandwidthRounds >= FULL_BW_ROUNDS) {
            filledPipe = true;
        }
    }
}
