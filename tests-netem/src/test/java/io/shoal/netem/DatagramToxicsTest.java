package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.impair.LinkModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each toxic means per datagram, checked on the link model alone (no sockets, no clock). */
class DatagramToxicsTest {
    private static Toxic toxic(ToxicType type, double... values) {
        return new Toxic("t", type, ToxicStream.UPSTREAM, 1.0, values, 0L);
    }

    @Test
    void shouldKeepTheMeanLossAndLengthenBurstsWhenCorrelated() {
        int n = 200_000;
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        LinkModel model = new LinkModel(DatagramToxics.linkConfig(toxic(ToxicType.PACKET_LOSS, 0.1, 0.8)),
            ApiServer.SEED, alloc);
        boolean[] arrived = new boolean[n];
        int[] current = new int[1];
        LinkModel.Sink sink = (arrivalNs, d) -> {
            arrived[current[0]] = true;
            d.release();
        };
        for (int i = 0; i < n; i++) {
            current[0] = i;
            ByteBuf b = alloc.heapBuffer(4).writeInt(i);
            model.transmit(i, b, sink);
        }
        int lost = 0;
        int bursts = 0;
        for (int i = 0; i < n; i++) {
            if (!arrived[i]) {
                lost++;
                bursts += i == 0 || arrived[i - 1] ? 1 : 0;
            }
        }
        double rate = lost / (double) n;
        double meanBurst = lost / (double) bursts;
        assertTrue(Math.abs(rate - 0.1) < 0.01, "loss " + rate);
        // 1 / ((1 - L)(1 - c)) = 5.56
        assertTrue(Math.abs(meanBurst - 5.56) < 0.5, "mean burst " + meanBurst);
        assertEquals(0, alloc.metric().usedHeapMemory());
    }

    @Test
    void shouldMapToxiproxyTypesToTheirDatagramMeaning() {
        LinkConfig latency = DatagramToxics.linkConfig(toxic(ToxicType.LATENCY, 20, 5));
        assertEquals(20_000_000L, latency.delayNs());
        assertEquals(5_000_000L, latency.jitterNs());
        LinkConfig bandwidth = DatagramToxics.linkConfig(toxic(ToxicType.BANDWIDTH, 1000));
        assertEquals(8_000_000L, bandwidth.rateBitsPerSecond(), "1000 KB/s of 1000-byte KB");
        assertEquals(100_000L, bandwidth.queueLimitBytes(), "100 ms of queue");
        assertNull(DatagramToxics.linkConfig(toxic(ToxicType.BANDWIDTH, 0)), "rate 0 is no limit");
        assertEquals(1.0, DatagramToxics.linkConfig(toxic(ToxicType.TIMEOUT, 0)).lossRate(), "timeout: blackhole");
        assertNull(DatagramToxics.linkConfig(toxic(ToxicType.SLICER, 10, 0, 0)));
        assertEquals(0.1, DatagramToxics.linkConfig(toxic(ToxicType.PACKET_LOSS, 0.1, 0)).lossRate());
        Toxic reorder = new Toxic("r", ToxicType.REORDER, ToxicStream.UPSTREAM, 0.5, new double[] {0.2, 10}, 0L);
        assertEquals(0.1, DatagramToxics.probability(reorder), 1e-12);
        assertEquals(100, DatagramToxics.linkConfig(toxic(ToxicType.MTU, 100)).mtuBytes());
    }
}
