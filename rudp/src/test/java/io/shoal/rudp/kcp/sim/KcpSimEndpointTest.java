package io.shoal.rudp.kcp.sim;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpState;
import io.shoal.rudp.sim.KcpSimApp;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.SeedWatcher;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.StreamSink;
import io.shoal.rudp.sim.StreamSource;
import io.shoal.rudp.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KCP adapter on the simulator, in the plainest cases: how a test drives two engines. */
final class KcpSimEndpointTest {
    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    @Test
    void shouldTransferStreamAndGoQuietWhenLinkIsLossyButFinite() {
        final KcpConfig config = KcpConfig.fast().toBuilder().stream(true).allocator(alloc).build();
        final long bytes = 200_000;
        final StreamSink sink = new StreamSink(7, bytes, true);
        final StreamSource source = new StreamSource(7, bytes, config.maxMessageBytes(), seeds.seed());
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config), source);
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), sink);
        final LinkConfig link = LinkConfig.builder().delayMs(25).lossRate(0.05).build();
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), link, link, client, server, alloc)) {
            assertTrue(pair.driveUntil(sink::isDone, 60_000_000_000L), "stream incomplete: " + sink.receivedBytes());
            pair.driveBounded(100_000);
            assertNull(sink.failure());
            assertEquals(bytes, sink.receivedBytes());
            assertEquals(0, client.engine().waitSendSegments());
            assertTrue(pair.linkStats(SimPair.CLIENT).droppedLoss() > 0, "the link did lose something");
        }
        assertEquals(KcpState.CLOSED, client.engine().state());
        assertEquals(0, alloc.metric().usedHeapMemory(), "every buffer released once the pair is closed");
    }

    @Test
    void shouldReportDeadLinkWhenPeerVanishes() {
        final KcpConfig config = KcpConfig.turbo().toBuilder().deadLink(5).allocator(alloc).build();
        final StreamSource source = new StreamSource(9, 10_000, 1000, seeds.seed());
        final KcpSimEndpoint client = new KcpSimEndpoint(new KcpEngine(1, config), source);
        final KcpSimEndpoint server = new KcpSimEndpoint(new KcpEngine(1, config), KcpSimApp.none());
        final LinkConfig gone = LinkConfig.builder().delayMs(10).lossRate(1.0).build();
        try (SimPair pair = new SimPair(seeds.seed(), new VirtualClock(), gone, gone, client, server, alloc)) {
            assertTrue(pair.driveUntil(client::linkDead, 60_000_000_000L));
            assertEquals(KcpState.DEAD, client.engine().state());
        }
        assertEquals(0, alloc.metric().usedHeapMemory());
    }
}
