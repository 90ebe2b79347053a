package io.shoal.rudp.kcp.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpSegmentCodec;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss detection outside KCP-classic mode under reordering: jitter must not trigger retransmissions (RACK's reorder
 * window instead of KCP's two-duplicate-ACK rule), and a real loss is still repaired by a fast retransmission about
 * 1.25 RTT after the lost send, not by a timeout. BBR bulk transfers through a 50 Mbit/s bottleneck, 100 ms RTT.
 * And delay that grows past the RTO while ACKs keep arriving must not fire timeouts (RFC 6298 5.3 re-arm).
 */
@Timeout(60)
final class ReorderingTransferTest {
    private static final long RATE_BPS = 50_000_000L;
    private static final long ONE_WAY_MS = 50;
    private static final long NS_PER_MS = 1_000_000L;

    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    private KcpConfig config() {
        return config(CongestionControl.BBR);
    }

    private KcpConfig config(final CongestionControl cc) {
        return KcpConfig.turbo().toBuilder().congestionControl(cc).windows(1024, 1024)
            .ackNoDelay(true).flushOnAck(true).stream(true).allocator(alloc).build();
    }

    private static LinkConfig.Builder link(final long jitterMs) {
        final LinkConfig.Builder b = LinkConfig.builder().delayMs(ONE_WAY_MS);
        if (jitterMs > 0) {
            b.jitterNs(jitterMs * NS_PER_MS, LinkConfig.Jitter.UNIFORM);
        }
        return b;
    }

    @Test
    void shouldKeepSpuriousRetransmissionsRareWhenJitterReordersWithoutLoss() {
        final KcpConfig config = config();
        final StreamSink sink = new StreamSink(seeds.seed(), Long.MAX_VALUE, true);
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config),
            new StreamSource(seeds.seed(), Long.MAX_VALUE, config.maxMessageBytes(), seeds.seed() + 1));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final LinkConfig forward = link(20).rateBitsPerSecond(RATE_BPS).queueLimitNs(100 * NS_PER_MS).build();
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), forward, link(20).build(), client, server,
            alloc)) {
            pair.drive(8_000 * NS_PER_MS);
            assertNull(sink.failure(), "the stream arrived intact and in order");
            final long queueDrops = pair.linkStats(SimPair.CLIENT).droppedQueue();
            final long sent = client.engine().stats().segmentsSent();
            final long duplicates = server.engine().stats().duplicateSegments();
            // Without RACK, 20 ms of jitter made about half of all segments go out twice (two later ACKs suffice).
            System.out.printf("jitter 20 ms: %d of %d segments received twice, %d spurious detected, %d fast, %d rto%n",
                duplicates, sent, client.engine().stats().spuriousRetransmits(),
                client.engine().stats().fastRetransmits(), client.engine().stats().retransmits());
            assertTrue(duplicates < 0.02 * sent, "segments received twice: " + duplicates + " of " + sent);
            assertTrue(client.engine().stats().retransmits() <= 2 + queueDrops,
                "timeouts: " + client.engine().stats().retransmits() + ", queue drops " + queueDrops);
            assertTrue(sink.receivedBytes() * 8e9 / (8_000 * NS_PER_MS) >= 0.7 * RATE_BPS,
                "goodput " + sink.receivedBytes() * 8e9 / (8_000 * NS_PER_MS) / 1e6 + " Mbit/s");
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
    }

    @Test
    void shouldResendALostSegmentWithinAboutOneAndAQuarterRttWithoutTimeout() {
        final KcpConfig config = config();
        final StreamSink sink = new StreamSink(seeds.seed(), Long.MAX_VALUE, true);
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config),
            new StreamSource(seeds.seed(), Long.MAX_VALUE, config.maxMessageBytes(), seeds.seed() + 1));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final int lostSn = 15_000; // past BBR's startup, in steady state
        final DroppingEndpoint dropper = new DroppingEndpoint(client, lostSn);
        final LinkConfig forward = link(0).rateBitsPerSecond(RATE_BPS).queueLimitNs(100 * NS_PER_MS).build();
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), forward, link(0).build(), dropper, server,
            alloc)) {
            assertTrue(pair.driveUntil(() -> dropper.droppedAtNs >= 0, 20_000 * NS_PER_MS), "segment sent");
            final int srttMs = client.engine().stats().srttMs();
            final long timeoutsBefore = client.engine().stats().retransmits();
            final long fastBefore = client.engine().stats().fastRetransmits();
            assertTrue(pair.driveUntil(() -> server.engine().rcvNxt() - lostSn > 0, 2_000 * NS_PER_MS),
                "the lost segment was repaired");
            final long resendMs = (dropper.resentAtNs - dropper.droppedAtNs) / NS_PER_MS;
            // The next segment's ACK comes one RTT after the lost send; the reorder window (min RTT / 4) follows.
            // 10 ms of slack for the ms clock and the queue moving the RTT between the two sends.
            final long boundMs = srttMs * 5L / 4 + 10;
            System.out.printf("lost sn %d resent after %d ms (bound %d ms, srtt %d ms)%n", lostSn, resendMs, boundMs,
                srttMs);
            assertTrue(dropper.resentAtNs >= 0 && resendMs <= boundMs,
                "resent after " + resendMs + " ms, srtt " + srttMs + " ms");
            assertEquals(timeoutsBefore, client.engine().stats().retransmits(), "no timeout during the repair");
            assertTrue(client.engine().stats().fastRetransmits() > fastBefore, "a fast retransmission repaired it");
            assertNull(sink.failure(), "the stream arrived intact and in order");
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
    }

    @Test
    void shouldNotTimeOutWhileAcksKeepComingAndTheQueueOutgrowsTheRto() {
        // No congestion control: a whole 1024-segment window (about 1.4 MB) goes into a 10 Mbit/s link whose queue
        // holds 2 s, so the RTT climbs past a second while turbo's RTO starts near 30 ms. Nothing is lost.
        final KcpConfig config = config(CongestionControl.NONE);
        final StreamSink sink = new StreamSink(seeds.seed(), Long.MAX_VALUE, true);
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config),
            new StreamSource(seeds.seed(), Long.MAX_VALUE, config.maxMessageBytes(), seeds.seed() + 1));
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final LinkConfig forward = LinkConfig.builder().delayMs(5).rateBitsPerSecond(10_000_000L)
            .queueLimitNs(2_000 * NS_PER_MS).build();
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), forward, LinkConfig.builder().delayMs(5)
            .build(), client, server, alloc)) {
            pair.drive(5_000 * NS_PER_MS);
            assertNull(sink.failure(), "the stream arrived intact and in order");
            assertEquals(0, pair.linkStats(SimPair.CLIENT).droppedQueue(), "nothing lost");
            final long sent = client.engine().stats().segmentsSent();
            final long duplicates = server.engine().stats().duplicateSegments();
            System.out.printf("queue past the RTO: %d timeouts, %d of %d segments received twice, srtt %d ms%n",
                client.engine().stats().retransmits(), duplicates, sent, client.engine().stats().srttMs());
            assertTrue(client.engine().stats().srttMs() > 500, "the queue really grew past the RTO");
            assertTrue(duplicates < 0.01 * sent, "segments received twice: " + duplicates + " of " + sent);
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
    }

    /**
     * Drops the first datagram that carries data segment {@code sn} and notes when the next one carrying it (the
     * retransmission) leaves; delegates all else.
     */
    private static final class DroppingEndpoint implements SimEndpoint {
        private final SimEndpoint delegate;
        private final int sn;
        long droppedAtNs = -1;
        long resentAtNs = -1;

        DroppingEndpoint(final SimEndpoint delegate, final int sn) {
            this.delegate = delegate;
            this.sn = sn;
        }

        @Override
        public void handleDatagram(final long nowNs, final ByteBuf datagram) {
            delegate.handleDatagram(nowNs, datagram);
        }

        @Override
        public void handleTimeout(final long nowNs) {
            delegate.handleTimeout(nowNs);
        }

        @Override
        public int pollTransmit(final long nowNs, final ByteBuf out) {
            while (true) {
                final int start = out.writerIndex();
                final int n = delegate.pollTransmit(nowNs, out);
                if (n == 0 || resentAtNs >= 0 || !carries(out, start, start + n)) {
                    return n;
                }
                if (droppedAtNs >= 0) {
                    resentAtNs = nowNs;
                    return n;
                }
                droppedAtNs = nowNs;
                out.writerIndex(start);
            }
        }

        private boolean carries(final ByteBuf d, final int start, final int end) {
            for (int i = start; end - i >= KcpSegmentCodec.HEADER_LENGTH;
                 i += KcpSegmentCodec.HEADER_LENGTH + (int) KcpSegmentCodec.len(d, i)) {
                if (KcpSegmentCodec.cmd(d, i) == KcpSegmentCodec.CMD_PUSH && KcpSegmentCodec.sn(d, i) == sn) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long nextDeadlineNs() {
            return delegate.nextDeadlineNs();
        }

        @Override
        public int maxDatagramBytes() {
            return delegate.maxDatagramBytes();
        }

        @Override
        public boolean isIdle() {
            return delegate.isIdle();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
