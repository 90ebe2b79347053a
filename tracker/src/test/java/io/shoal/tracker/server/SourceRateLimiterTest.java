package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.registry.RegistryLimits;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.UdpTrackerCodec;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceRateLimiterTest {
    @Test
    void shouldCutOffFloodingSourceButServeOthersWhenOneAddressFloods() throws Exception {
        TrackerStats stats = new TrackerStats();
        SwarmRegistry registry = new SwarmRegistry(RegistryLimits.defaults(60), null, 1);
        UdpTrackerService service = new UdpTrackerService(registry, new ConnectionIdCookies(new byte[32]),
            new SourceRateLimiter(100, 4096), new RendezvousService(registry, new SourceRateLimiter(1, 16), stats),
            60, stats);
        InetSocketAddress flooder = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 1);
        InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 1);
        ByteBuf in = Unpooled.buffer(16);
        ByteBuf out = Unpooled.buffer(64);
        try {
            UdpTrackerCodec.writeConnectRequest(in, 1);
            int served = 0;
            for (int i = 0; i < 10_000; i++) {
                out.clear();
                if (service.handle(in, flooder, 5, out) == UdpTrackerService.REPLY) {
                    served++;
                }
            }
            assertEquals(200, served, "the burst (2 s of rate) and nothing more within the second");
            assertEquals(9_800, stats.udpRateLimited);
            out.clear();
            assertEquals(UdpTrackerService.REPLY, service.handle(in, other, 5, out), "others are still served");
            out.clear();
            assertEquals(UdpTrackerService.REPLY, service.handle(in, flooder, 6, out), "refilled a second later");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void shouldNeverLimitWhenRateIsZero() {
        SourceRateLimiter off = new SourceRateLimiter(0, 2);
        for (int i = 0; i < 100_000; i++) {
            assertTrue(off.tryAcquire(42, 1));
        }
        SourceRateLimiter one = new SourceRateLimiter(1, 2);
        assertTrue(one.tryAcquire(42, 1));
        assertTrue(one.tryAcquire(42, 1));
        assertFalse(one.tryAcquire(42, 1));
    }
}
