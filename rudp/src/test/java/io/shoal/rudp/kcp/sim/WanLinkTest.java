package io.shoal.rudp.kcp.sim;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.sim.BatchedReadEndpoint;
import io.shoal.rudp.sim.BurstySource;
import io.shoal.rudp.sim.KcpSimApp;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.SeedWatcher;
import io.shoal.rudp.sim.SimEndpoint;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.StreamSink;
import io.shoal.rudp.sim.StreamSource;
import io.shoal.rudp.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's wide-area profile on the simulator: the netem suite's {@code WAN_50M} (50 Mbit/s bottleneck each way
 * with a 100 ms drop-tail queue, 20 ms each way, 1% random loss each way) and the node's engine settings (turbo, BBR,
 * stream mode, 2048-segment windows, the secure profile's 1367-byte KCP MTU). Goodput counts application bytes over
 * the whole run, start-up included, against the 50 Mbit/s of the link.
 */
@Timeout(120)
final class WanLinkTest {
    private static final long RATE_BPS = 50_000_000L;
    private static final long ONE_WAY_MS = 20;
    private static final double LOSS = 0.01;
    /** What the secure profile leaves the engine of a 1400-byte datagram (33 bytes of header and AEAD tag). */
    private static final int SECURE_KCP_MTU = 1367;
    private static final long BASE_RTT_MS = 2 * ONE_WAY_MS;
    private static final long READ_PERIOD_NS = 1_000_000L;

    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    private record Run(double goodputBps, KcpStats sender, long queueDrops) {
    }

    private Run transfer(final long durationNs, final Function<KcpConfig, KcpSimApp> sourceFor) {
        return transfer(durationNs, sourceFor, 0, 0);
    }

    /**
     * @param stallChance chance that one of the sender's 1 ms read rounds is {@code stallNs} late (a descheduled
     *     event loop or proxy on a loaded machine: ACKs wait in the socket while the sender's timers run)
     */
    private Run transfer(final long durationNs, final Function<KcpConfig, KcpSimApp> sourceFor,
                         final double stallChance, final long stallNs) {
        final KcpConfig config = KcpConfig.turbo().toBuilder().congestionControl(CongestionControl.BBR)
            .windows(2048, 2048).ackNoDelay(true).flushOnAck(true).stream(true).mtu(SECURE_KCP_MTU)
            .allocator(alloc).build();
        final StreamSink sink = new StreamSink(seeds.seed(), Long.MAX_VALUE, true);
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config), sourceFor.apply(config));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final LinkConfig link = LinkConfig.builder().rateBitsPerSecond(RATE_BPS).queueLimitNs(100_000_000L)
            .delayMs(ONE_WAY_MS).lossRate(LOSS).build();
        final Run run;
        final SimEndpoint sender = stallChance > 0
            ? new BatchedReadEndpoint(client, READ_PERIOD_NS, stallChance, stallNs, seeds.seed() + 2) : client;
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), link, link, sender, server, alloc)) {
            pair.drive(durationNs);
            assertNull(sink.failure(), "the stream arrived intact and in order");
            run = new Run(sink.receivedBytes() * 8e9 / durationNs, client.engine().stats(),
                pair.linkStats(SimPair.CLIENT).droppedQueue());
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
        return run;
    }

    @Test
    void shouldKeepNinetyPercentOfTheLinkBusyOverTwentySecondsWhenOnePercentIsLostEachWay() {
        final Run run = transfer(20_000_000_000L, c -> new StreamSource(seeds.seed(), Long.MAX_VALUE,
            c.maxMessageBytes(), seeds.seed() + 1));
        assertTrue(run.goodputBps() >= 0.9 * RATE_BPS, "BBR goodput " + run.goodputBps() / 1e6 + " Mbit/s");
        assertTrue(run.sender().srttMs() <= BASE_RTT_MS * 5 / 4, "no standing queue: srtt " + run.sender().srttMs());
    }

    @Test
    void shouldLeaveStartupWhenABurstyWriterKeepsTheLinkBusy() {
        // 256 KiB every 20 ms (13 MB/s offered, twice the link), written only once the send queue is empty: every
        // round has application-limited sends. BBR used to stay in STARTUP for the whole transfer (2.4 BDP in flight,
        // a 60 ms standing queue, srtt 77-96 ms); a round whose fastest RTT met a queue now counts as full.
        final Run run = transfer(6_000_000_000L, c -> new BurstySource(seeds.seed(), Long.MAX_VALUE, 256 << 10,
            20_000_000L));
        assertTrue(run.goodputBps() >= 0.9 * RATE_BPS, "BBR goodput " + run.goodputBps() / 1e6 + " Mbit/s");
        assertTrue(run.sender().srttMs() <= BASE_RTT_MS * 5 / 4, "no standing queue: srtt " + run.sender().srttMs());
        assertEquals(0, run.queueDrops(), "the bottleneck queue never overflowed");
    }

    @Test
    void shouldResendNoWindowWhenTheSendersReadsStallPastTheRto() {
        // A loaded machine: one sender read round in a hundred is 100 ms late (the loop or the proxy descheduled),
        // so ACKs wait while the ~50 ms RTO expires. Resending every expired segment made 1288 of 1431 timeout
        // resends spurious and cost 2.4 Mbit/s; a timeout now resends the oldest segment and RACK the rest.
        final Run run = transfer(12_000_000_000L, c -> new StreamSource(seeds.seed(), Long.MAX_VALUE,
            c.maxMessageBytes(), seeds.seed() + 1), 0.01, 100_000_000L);
        final KcpStats s = run.sender();
        assertTrue(s.spuriousRetransmits() <= 20, "spurious resends " + s.spuriousRetransmits() + " of "
            + s.retransmits() + " on timeout, " + s.fastRetransmits() + " fast");
        assertTrue(s.retransmits() <= 120, "timeout resends " + s.retransmits());
        assertTrue(run.goodputBps() >= 0.93 * RATE_BPS, "BBR goodput " + run.goodputBps() / 1e6 + " Mbit/s");
    }
}
