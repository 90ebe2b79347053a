package io.shoal.bench.sim;

import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.MessagePlan;
import io.shoal.rudp.sim.MessageSink;
import io.shoal.rudp.sim.MessageSource;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;
import io.shoal.rudp.sim.VirtualClock;

import java.util.Arrays;

/**
 * Interactive traffic on the simulator: fixed-size messages at a fixed interval over a lossy link (turbo preset,
 * message mode); latency is delivery time minus the time the message was due, in virtual milliseconds.
 */
final class InteractiveRun {
    /** Latency percentiles of one run, in ms; {@code lost} counts messages never delivered within the run. */
    record Result(double p50Ms, double p99Ms, double maxMs, int delivered, int lost, double wallSeconds) {
    }

    private InteractiveRun() {
    }

    static KcpConfig config() {
        return KcpConfig.turbo().toBuilder().ackNoDelay(true).build();
    }

    static Result run(final long seed, final long durationNs, final int messageBytes, final long intervalNs,
                      final long oneWayDelayMs, final double loss) {
        final long wallStart = System.nanoTime();
        final int count = (int) (durationNs / intervalNs);
        final MessagePlan plan = new MessagePlan(SimSeeds.mix(seed, 3), count, messageBytes, messageBytes, 0,
            intervalNs);
        final MessageSink sink = new MessageSink(plan);
        final KcpConfig config = config();
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(2, config), new MessageSource(plan));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(2, config), sink);
        final LinkConfig link = LinkConfig.builder().delayMs(oneWayDelayMs).lossRate(loss).build();
        try (SimPair pair = new SimPair(seed, new VirtualClock(), link, link, client, server,
            ByteBufAllocator.DEFAULT)) {
            // Let the last messages arrive: a few seconds beyond the last send time.
            pair.driveUntil(sink::isDone, durationNs + 5_000_000_000L);
            final int n = sink.received();
            final double[] latencies = new double[n];
            for (int i = 0; i < n; i++) {
                latencies[i] = (sink.deliveredNs(i) - plan.dueNs(i)) / 1e6;
            }
            Arrays.sort(latencies);
            return new Result(percentile(latencies, 0.50), percentile(latencies, 0.99),
                n == 0 ? Double.NaN : latencies[n - 1], n, count - n, (System.nanoTime() - wallStart) / 1e9);
        }
    }

    private static double percentile(final double[] sorted, final double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
