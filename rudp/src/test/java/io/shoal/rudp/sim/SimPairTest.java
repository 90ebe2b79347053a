package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pair's scheduling: arrival order, virtual time, determinism, quiescence and cleanup. */
final class SimPairTest {
    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    private SimPair pair(final long seed, final LinkConfig link, final SimEndpoint client, final SimEndpoint server) {
        return new SimPair(seed, new VirtualClock(), link, link, client, server, alloc);
    }

    @Test
    void shouldDeliverAfterOneWayDelayWhenLinkIsIdeal() {
        final PacedSenderEndpoint sender = new PacedSenderEndpoint(10, 100, 0, 1_000_000);
        final RecordingEndpoint receiver = new RecordingEndpoint(false, 100);
        try (SimPair pair = pair(seeds.seed(), LinkConfig.builder().delayMs(20).build(), sender, receiver)) {
            pair.driveBounded(1000);
            assertEquals(10, receiver.received());
            for (int i = 0; i < 10; i++) {
                assertEquals(i, receiver.index(i));
                assertEquals(sender.sendTimeNs(i) + 20_000_000L, receiver.arrivalNs(i));
            }
            assertEquals(29_000_000L, pair.nowNs(), "the clock jumps straight to the last arrival");
        }
        assertEquals(0, alloc.metric().usedHeapMemory());
    }

    @Test
    void shouldStopAtTheRequestedTimeWhenDriving() {
        final PacedSenderEndpoint sender = new PacedSenderEndpoint(100, 64, 0, 1_000_000);
        final RecordingEndpoint receiver = new RecordingEndpoint(false, 64);
        try (SimPair pair = pair(seeds.seed(), LinkConfig.builder().delayMs(5).build(), sender, receiver)) {
            pair.drive(50_000_000L);
            assertEquals(50_000_000L, pair.nowNs());
            assertEquals(46, receiver.received(), "sent at 0..45 ms, arrived by 50 ms");
            assertTrue(pair.driveUntil(() -> receiver.received() == 100, 1_000_000_000L));
            assertEquals(104_000_000L, pair.nowNs());
        }
        assertEquals(0, alloc.metric().usedHeapMemory(), "in-flight datagrams released on close");
    }

    @Test
    void shouldEchoBackAcrossBothLinks() {
        final PacedSenderEndpoint sender = new PacedSenderEndpoint(5, 64, 0, 0);
        final RecordingEndpoint echo = new RecordingEndpoint(true, 64);
        final RecordingEndpoint client = new RecordingEndpoint(false, 64);
        final SimEndpoint clientSide = new TeeEndpoint(sender, client);
        try (SimPair pair = pair(seeds.seed(), LinkConfig.builder().delayMs(10).build(), clientSide, echo)) {
            pair.driveBounded(1000);
            assertEquals(5, client.received());
            assertEquals(20_000_000L, client.arrivalNs(4));
            assertEquals(5, pair.linkStats(SimPair.SERVER).delivered());
        }
    }

    @Test
    void shouldProduceIdenticalTraceWhenSeedIsTheSame() {
        final long seed = seeds.seed();
        final long first = traceHash(seed);
        assertEquals(first, traceHash(seed), "same seed, same delivery trace");
        assertNotEquals(first, traceHash(seed + 1), "another seed, another trace");
        assertEquals(0, alloc.metric().usedHeapMemory());
    }

    private long traceHash(final long seed) {
        final LinkConfig link = LinkConfig.builder().delayMs(15).jitterNs(4_000_000, LinkConfig.Jitter.NORMAL)
            .lossRate(0.05).gilbertElliott(0.02, 0.3, 0, 1).duplicateRate(0.03)
            .corruptRate(0.02, LinkConfig.Corruption.DELIVER).rateBitsPerSecond(2_000_000).queueLimitBytes(20_000)
            .build();
        final PacedSenderEndpoint sender = new PacedSenderEndpoint(2000, 200, 0, 500_000);
        final RecordingEndpoint receiver = new RecordingEndpoint(true, 200);
        final long[] hash = {17};
        try (SimPair pair = pair(seed, link, sender, receiver)) {
            pair.deliveryListener((nowNs, side, d) -> hash[0] = hash[0] * 31 + nowNs * 7 + side
                + d.getByte(d.readerIndex() + 7));
            pair.driveBounded(100_000);
            for (int i = 0; i < receiver.received(); i++) {
                hash[0] = hash[0] * 31 + receiver.hash(i);
            }
        }
        return hash[0];
    }

    @Test
    void shouldFailDriveBoundedWhenSidesNeverGoQuiet() {
        final SimEndpoint ticking = new PacedSenderEndpoint(Integer.MAX_VALUE, 8, 0, 1_000_000);
        try (SimPair pair = pair(seeds.seed(), LinkConfig.ideal(), ticking, new RecordingEndpoint(false, 8))) {
            final AssertionError e = assertThrows(AssertionError.class, () -> pair.driveBounded(100));
            assertTrue(e.getMessage().contains(SimSeeds.format(seeds.seed())), e.getMessage());
        }
    }

    @Test
    void shouldFormatAndParseSeeds() {
        final long seed = 0xDEADBEEFCAFEF00DL;
        assertEquals(seed, SimSeeds.parse(SimSeeds.format(seed)));
        assertEquals(42, SimSeeds.parse("42"));
        assertTrue(SimSeeds.replayCommand(SimPairTest.class, "x", seed).contains("-Dshoal.sim.seed=0xdeadbeefcafef00d"));
    }

    /** Sends with one endpoint and records arrivals with another. */
    private static final class TeeEndpoint implements SimEndpoint {
        private final SimEndpoint sender;
        private final SimEndpoint receiver;

        TeeEndpoint(final SimEndpoint sender, final SimEndpoint receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        @Override
        public void handleDatagram(final long nowNs, final ByteBuf datagram) {
            receiver.handleDatagram(nowNs, datagram);
        }

        @Override
        public void handleTimeout(final long nowNs) {
            sender.handleTimeout(nowNs);
        }

        @Override
        public int pollTransmit(final long nowNs, final ByteBuf out) {
            return sender.pollTransmit(nowNs, out);
        }

        @Override
        public long nextDeadlineNs() {
            return sender.nextDeadlineNs();
        }

        @Override
        public int maxDatagramBytes() {
            return sender.maxDatagramBytes();
        }
    }
}
