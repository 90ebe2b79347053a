package io.shoal.rudp.perf;

import io.shoal.rudp.kcp.KcpStats;

import java.util.Locale;

/**
 * What stopped a sender's flushes, counted once per flush by the engine ({@link KcpStats}): the congestion window,
 * the send or peer's receive window ("flow"), the pacer, or nothing left to send ("app"). Tells a run limited by its
 * congestion controller from one limited by the application or the receiver, the way iperf's and QUIC's "limited by"
 * counters do.
 *
 * @param cwnd flushes that left data queued because the congestion window was full
 * @param flow flushes that left data queued because the send or the peer's window was full
 * @param pacing flushes the pacer stopped
 * @param app flushes that found nothing queued
 */
public record SendLimits(long cwnd, long flow, long pacing, long app) {
    /** The limits in an engine's counters. */
    public static SendLimits of(final KcpStats stats) {
        return new SendLimits(stats.cwndLimitedFlushes(), stats.flowLimitedFlushes(), stats.pacingLimitedFlushes(),
            stats.appLimitedFlushes());
    }

    /** @return every counted flush */
    public long flushes() {
        return cwnd + flow + pacing + app;
    }

    /** @return e.g. {@code flushes limited by cwnd 10%, window 0%, pacing 85%, app 5% (of 120,000)} */
    public String describe() {
        final long all = Math.max(1, flushes());
        return String.format(Locale.ROOT, "flushes limited by cwnd %d%%, window %d%%, pacing %d%%, app %d%% (of %,d)",
            100 * cwnd / all, 100 * flow / all, 100 * pacing / all, 100 * app / all, flushes());
    }
}
