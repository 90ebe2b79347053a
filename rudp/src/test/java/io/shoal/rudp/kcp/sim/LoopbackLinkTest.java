package io.shoal.rudp.kcp.sim;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.sim.BatchedReadEndpoint;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.SeedWatcher;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.StreamSink;
import io.shoal.rudp.sim.StreamSource;
import io.shoal.rudp.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's loopback case on the simulator, CPU-free: a 1 Gbit/s link with 50 us each way, both sides running their
 * timers and reading their socket in rounds every 200 us as a busy event loop does, one round in twenty late by 2 ms
 * (so ACKs reach the sender in bursts and paced sends wait for the next round), the node's engine settings (turbo,
 * stream mode, 2048-segment windows, the secure profile's KCP MTU). Goodput counts application bytes over the run.
 */
@Timeout(120)
final class LoopbackLinkTest {
    private static final long RATE_BPS = 1_000_000_000L;
    private static final long ONE_WAY_NS = 50_000L;
    private static final long READ_PERIOD_NS = 200_000L;
    /** A loop round is late by {@link #STALL_NS} this often: a thread descheduled on a loaded two-core machine. */
    private static final double STALL_CHANCE = 0.05;
    private static final long STALL_NS = 2_000_000L;
    private static final long DURATION_NS = 500_000_000L;
    /** BBR keeps 88% busy with the fix (91-96% with fewer or more late rounds); it was 54%, KCP classic 53%. */
    private static final double MIN_BUSY = 0.80;
    private static final int SECURE_KCP_MTU = 1367;

    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    private record Run(double goodputBps, KcpStats sender) {
    }

    private Run transfer(final CongestionControl cc, final long durationNs) {
        final KcpConfig config = KcpConfig.turbo().toBuilder().congestionControl(cc)
            .windows(2048, 2048).ackNoDelay(true).flushOnAck(true).stream(true).mtu(SECURE_KCP_MTU)
            .allocator(alloc).build();
        final StreamSink sink = new StreamSink(seeds.seed(), Long.MAX_VALUE, true);
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config),
            new StreamSource(seeds.seed(), Long.MAX_VALUE, config.maxMessageBytes(), seeds.seed() + 1));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final LinkConfig link = LinkConfig.builder().rateBitsPerSecond(RATE_BPS).queueLimitNs(2_000_000L)
            .delayNs(ONE_WAY_NS).build();
        final Run run;
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), link, link,
            new BatchedReadEndpoint(client, READ_PERIOD_NS, STALL_CHANCE, STALL_NS, seeds.seed() + 2),
            new BatchedReadEndpoint(server, READ_PERIOD_NS, STALL_CHANCE, STALL_NS, seeds.seed() + 3), alloc)) {
            pair.drive(durationNs);
            assertNull(sink.failure(), "the stream arrived intact and in order");
            run = new Run(sink.receivedBytes() * 8e9 / durationNs, client.engine().stats());
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
        return run;
    }

    @Test
    void shouldKeepAFastShortRttLinkBusyWhenAcksArriveInReadBatches() {
        // Before: the pacer's 16-segment bucket granted ~180 us of rate per loop round, and the window
        // (2 * bandwidth * min RTT, min RTT ~0.1 ms) ran dry between ACK bursts; KCP classic (no pacer) was ahead.
        final Run bbr = transfer(CongestionControl.BBR, DURATION_NS);
        final Run classic = transfer(CongestionControl.KCP, DURATION_NS);
        assertTrue(bbr.goodputBps() >= MIN_BUSY * RATE_BPS, "BBR goodput " + bbr.goodputBps() / 1e6 + " Mbit/s, "
            + bbr.sender());
        assertTrue(bbr.goodputBps() >= classic.goodputBps(), "BBR " + bbr.goodputBps() / 1e6 + " vs KCP classic "
            + classic.goodputBps() / 1e6 + " Mbit/s");
    }
}
