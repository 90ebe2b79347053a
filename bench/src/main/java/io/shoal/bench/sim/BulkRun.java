package io.shoal.bench.sim;

import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.sim.KcpSimApp;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;
import io.shoal.rudp.sim.StreamSink;
import io.shoal.rudp.sim.StreamSource;
import io.shoal.rudp.sim.VirtualClock;

import java.util.Arrays;

/**
 * One bulk transfer on the simulator: the client streams without end through a bottleneck for {@code durationNs} of
 * virtual time; goodput is what the server's application received over that time, and the RTT is the median of the
 * sender's smoothed RTT sampled every 100 ms once the first two seconds (slow start) are over.
 */
final class BulkRun {
    private static final long SAMPLE_NS = 100_000_000L;
    private static final long WARMUP_NS = 2_000_000_000L;

    /**
     * A bottleneck profile: rate, one-way delay, queue as delay, random loss each way, and uniform jitter of
     * {@code jitterMs} each way (independent per packet, so it reorders).
     */
    record Profile(String name, long rateBitsPerSecond, long oneWayDelayMs, long queueMs, double loss,
                   double goodputTargetMbps, long jitterMs) {
        Profile(String name, long rateBitsPerSecond, long oneWayDelayMs, long queueMs, double loss,
                double goodputTargetMbps) {
            this(name, rateBitsPerSecond, oneWayDelayMs, queueMs, loss, goodputTargetMbps, 0);
        }

        LinkConfig forward() {
            return withJitter(LinkConfig.builder().rateBitsPerSecond(rateBitsPerSecond)
                .queueLimitNs(queueMs * 1_000_000L).delayMs(oneWayDelayMs).lossRate(loss));
        }

        LinkConfig reverse() {
            return withJitter(LinkConfig.builder().delayMs(oneWayDelayMs).lossRate(loss));
        }

        private LinkConfig withJitter(LinkConfig.Builder b) {
            if (jitterMs > 0) {
                b.jitterNs(jitterMs * 1_000_000L, LinkConfig.Jitter.UNIFORM);
            }
            return b.build();
        }
    }

    /**
     * What one run measured. {@code spuriousSegments} are data segments the receiver got twice (resent although
     * they had arrived); the {@code *LimitedShare}s are the sender's flushes stopped by the pacer, by the congestion
     * window, or (flow control or no data) by something else, as fractions of all flushes.
     */
    record Result(double goodputMbps, double medianRttMs, long retransmits, long fastRetransmits, long queueDrops,
                  long spuriousSegments, double pacingLimitedShare, double cwndLimitedShare, double wallSeconds) {
    }

    private BulkRun() {
    }

    /** The engine configuration used for bulk runs: turbo timers, large windows, eager ACKs and ACK clocking. */
    static KcpConfig config(final CongestionControl cc) {
        return KcpConfig.turbo().toBuilder().congestionControl(cc).windows(2048, 2048).ackNoDelay(true)
            .flushOnAck(true).stream(true).build();
    }

    static Result run(final Profile profile, final CongestionControl cc, final long seed, final long durationNs) {
        final long wallStart = System.nanoTime();
        final KcpConfig config = config(cc).toBuilder().allocator(ByteBufAllocator.DEFAULT).build();
        final KcpEngine sender = new KcpEngine(1, config);
        final StreamSink sink = new StreamSink(SimSeeds.mix(seed, 1), Long.MAX_VALUE, false);
        final KcpSimApp source = new StreamSource(SimSeeds.mix(seed, 1), Long.MAX_VALUE, config.maxMessageBytes(),
            SimSeeds.mix(seed, 2));
        final KcpSimEndpoint client = new KcpSimEndpoint(sender, source);
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final double[] rtts = new double[(int) (durationNs / SAMPLE_NS) + 1];
        int samples = 0;
        try (SimPair pair = new SimPair(seed, new VirtualClock(), profile.forward(), profile.reverse(), client, server,
            ByteBufAllocator.DEFAULT)) {
            for (long t = SAMPLE_NS; t <= durationNs; t += SAMPLE_NS) {
                pair.drive(t);
                if (t > WARMUP_NS) {
                    rtts[samples++] = sender.stats().srttMs();
                }
            }
            final double goodput = sink.receivedBytes() * 8.0 / (durationNs / 1e9) / 1e6;
            final double[] sorted = Arrays.copyOf(rtts, samples);
            Arrays.sort(sorted);
            final double medianRtt = samples == 0 ? Double.NaN : sorted[samples / 2];
            final KcpStats st = sender.stats();
            final double flushes = Math.max(1, st.pacingLimitedFlushes() + st.cwndLimitedFlushes()
                + st.flowLimitedFlushes() + st.appLimitedFlushes());
            return new Result(goodput, medianRtt, st.retransmits(), st.fastRetransmits(),
                pair.linkStats(SimPair.CLIENT).droppedQueue(), server.engine().stats().duplicateSegments(),
                st.pacingLimitedFlushes() / flushes, st.cwndLimitedFlushes() / flushes,
                (System.nanoTime() - wallStart) / 1e9);
        }
    }
}
