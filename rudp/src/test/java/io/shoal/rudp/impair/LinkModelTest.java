package io.shoal.rudp.impair;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.sim.SeedWatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The impairment model on its own: statistics over many datagrams, exact timing of the bottleneck. */
final class LinkModelTest {
    private static final int N = 100_000;

    @RegisterExtension
    final SeedWatcher seeds = new SeedWatcher();

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final List<long[]> arrivals = new ArrayList<>(); // {arrivalNs, index, intact ? 1 : 0}
    private final LinkModel.Sink sink = (arrivalNs, d) -> {
        try {
            long zeros = 0;
            for (int i = d.readerIndex() + 8; i < d.writerIndex(); i++) {
                zeros += d.getByte(i) == 0 ? 1 : 0;
            }
            final boolean intact = zeros == d.readableBytes() - 8;
            arrivals.add(new long[] {arrivalNs, d.getLong(d.readerIndex()), intact ? 1 : 0});
        } finally {
            d.release();
        }
    };

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, alloc.metric().usedHeapMemory(), "link leaked buffers");
    }

    private ByteBuf datagram(final long index, final int size) {
        final ByteBuf b = alloc.heapBuffer(size);
        b.writeLong(index).writeZero(size - 8);
        return b;
    }

    private LinkModel sendAll(final LinkConfig config, final int count, final int size, final long intervalNs) {
        final LinkModel link = new LinkModel(config, seeds.seed(), alloc);
        for (int i = 0; i < count; i++) {
            link.transmit(i * intervalNs, datagram(i, size), sink);
        }
        return link;
    }

    @Test
    void shouldLoseNearTheConfiguredRateWhenBernoulli() {
        final LinkStats s = sendAll(LinkConfig.builder().lossRate(0.1).build(), N, 64, 1000).stats();
        assertEquals(0.1, s.droppedLoss() / (double) N, 0.006, s.toString());
        assertEquals(N, s.delivered() + s.droppedLoss());
        assertEquals(s.delivered(), arrivals.size());
    }

    @Test
    void shouldLoseInBurstsOfMeanOneOverRWhenGilbertElliott() {
        final double p = 0.01;
        final double r = 0.25;
        final LinkStats s = sendAll(LinkConfig.builder().gilbertElliott(p, r, 0, 1).build(), N, 64, 1000).stats();
        assertEquals(p / (p + r), s.droppedLoss() / (double) N, 0.008, s.toString());
        long bursts = 0;
        long expected = 0;
        for (final long[] a : arrivals) {
            if (a[1] != expected) {
                bursts++;
            }
            expected = a[1] + 1;
        }
        final double meanBurst = s.droppedLoss() / (double) bursts;
        assertEquals(1 / r, meanBurst, 0.5, "mean burst length over " + bursts + " bursts");
    }

    @Test
    void shouldSpaceDeparturesBySizeOverRateWhenBottlenecked() {
        // 8 Mbit/s is one byte per microsecond: a 1000-byte datagram takes exactly 1 ms to serialise.
        final LinkConfig config = LinkConfig.builder().rateBitsPerSecond(8_000_000).delayMs(5).build();
        final LinkModel link = sendAll(config, 20, 1000, 0);
        assertEquals(20, arrivals.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(5_000_000L + (i + 1) * 1_000_000L, arrivals.get(i)[0], "arrival of datagram " + i);
        }
        assertEquals(0, link.queuedBytes(20_000_000L));
    }

    @Test
    void shouldDropTailWhenQueueIsFull() {
        final LinkConfig config = LinkConfig.builder().rateBitsPerSecond(8_000_000).queueLimitBytes(10_000).build();
        final LinkStats s = sendAll(config, 20, 1000, 0).stats();
        assertEquals(10, s.delivered());
        assertEquals(10, s.droppedQueue());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, arrivals.get(i)[1], "the first ten fit, the rest fall off the tail");
        }
    }

    @Test
    void shouldSizeQueueFromDelayLimit() {
        final LinkConfig config = LinkConfig.builder().rateBitsPerSecond(50_000_000).queueLimitNs(100_000_000).build();
        assertEquals(625_000, config.queueLimitBytes());
    }

    @Test
    void shouldReorderWhenJitterExceedsSpacing() {
        for (final LinkConfig.Jitter shape : LinkConfig.Jitter.values()) {
            arrivals.clear();
            final LinkConfig config = LinkConfig.builder().delayMs(20).jitterNs(5_000_000, shape).build();
            sendAll(config, 10_000, 64, 1_000_000);
            arrivals.sort((a, b) -> Long.compare(a[0], b[0]));
            int outOfOrder = 0;
            for (int i = 1; i < arrivals.size(); i++) {
                outOfOrder += arrivals.get(i)[1] < arrivals.get(i - 1)[1] ? 1 : 0;
                assertTrue(arrivals.get(i)[0] >= arrivals.get(i)[1] * 1_000_000L, "never before it was sent");
            }
            assertTrue(outOfOrder > 500, shape + " jitter reordered only " + outOfOrder);
        }
    }

    @Test
    void shouldKeepOrderWithoutJitter() {
        sendAll(LinkConfig.builder().delayMs(20).rateBitsPerSecond(1_000_000).build(), 1000, 100, 100_000);
        for (int i = 0; i < arrivals.size(); i++) {
            assertEquals(i, arrivals.get(i)[1]);
        }
    }

    @Test
    void shouldCountDuplicates() {
        final LinkStats s = sendAll(LinkConfig.builder().duplicateRate(0.1).build(), N, 64, 1000).stats();
        assertEquals(0.1, s.duplicated() / (double) N, 0.006, s.toString());
        assertEquals(N + s.duplicated(), s.delivered());
        assertEquals(s.delivered(), arrivals.size());
    }

    @Test
    void shouldFlipBitsInDeliveredCopiesWhenCorruptionDelivers() {
        final LinkConfig config = LinkConfig.builder().corruptRate(0.1, LinkConfig.Corruption.DELIVER).build();
        final LinkStats s = sendAll(config, N, 64, 1000).stats();
        assertEquals(0.1, s.corrupted() / (double) N, 0.006, s.toString());
        assertEquals(N, s.delivered());
        final long damaged = arrivals.stream().filter(a -> a[2] == 0 || a[1] < 0 || a[1] >= N).count();
        // A flip lands in the 8-byte index or the 56 zero bytes; either way the copy differs from what was sent.
        assertTrue(damaged > 0.8 * s.corrupted() && damaged <= s.corrupted(), damaged + " of " + s.corrupted());
    }

    @Test
    void shouldDropCorruptedCopiesLikeAChecksumByDefault() {
        final LinkConfig config = LinkConfig.builder().corruptRate(0.05, LinkConfig.Corruption.DROP_AS_CHECKSUM).build();
        final LinkStats s = sendAll(config, N, 64, 1000).stats();
        assertEquals(s.corrupted(), s.droppedCorrupt());
        assertEquals(N, s.delivered() + s.droppedCorrupt());
        assertTrue(arrivals.stream().allMatch(a -> a[2] == 1), "no damaged copy reaches the receiver");
    }

    @Test
    void shouldDropEverythingInBlackoutWindow() {
        final LinkConfig config = LinkConfig.builder().blackout(100_000_000, 100_000_000).build();
        final LinkStats s = sendAll(config, 300, 64, 1_000_000).stats();
        assertEquals(100, s.droppedBlackout());
        assertTrue(arrivals.stream().noneMatch(a -> a[1] >= 100 && a[1] < 200));
        assertEquals(200, arrivals.size());
    }

    @Test
    void shouldDropDatagramsLargerThanMtu() {
        final LinkModel link = new LinkModel(LinkConfig.builder().mtuBytes(1200).build(), seeds.seed(), alloc);
        link.transmit(0, datagram(0, 1200), sink);
        link.transmit(0, datagram(1, 1201), sink);
        assertEquals(1, link.stats().droppedMtu());
        assertEquals(1, arrivals.size());
    }
}
