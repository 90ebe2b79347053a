package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldHoldLongRunRateWhenDrainedContinuously() {
        RateLimiter limiter = new RateLimiter(100_000, 16_384, null);
        long now = 0;
        long sent = 0;
        while (now < 10 * SECOND) {
            if (limiter.tryAcquire(16_384, now)) {
                sent += 16_384;
            } else {
                now = limiter.nextAvailableNs(16_384, now);
            }
        }
        assertTrue(Math.abs(sent - 1_000_000) <= 2 * 16_384, "sent " + sent);
    }

    @Test
    void shouldTakeFromParentAndChildOrNeither() {
        RateLimiter global = new RateLimiter(10_000, 10_000, null);
        RateLimiter torrentA = new RateLimiter(0, 0, global);
        RateLimiter torrentB = new RateLimiter(5_000, 5_000, global);
        assertTrue(torrentA.tryAcquire(8_000, 0));
        assertFalse(torrentB.tryAcquire(5_000, 0), "the global bucket has only 2000 left");
        assertEquals(300_000_000L, torrentB.nextAvailableNs(5_000, 0));
        assertTrue(torrentB.tryAcquire(5_000, 300_000_000L));
        assertTrue(RateLimiter.unlimited().tryAcquire(Long.MAX_VALUE / 2, 0));
    }
}
