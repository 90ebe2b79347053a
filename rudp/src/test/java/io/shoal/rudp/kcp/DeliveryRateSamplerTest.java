package io.shoal.rudp.kcp;

import io.netty.buffer.Unpooled;
import io.shoal.rudp.cc.RateSample;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Delivery-rate samples never come from an acknowledgement that may belong to an older copy of a segment. */
class DeliveryRateSamplerTest {
    private static final long MS = 1_000_000L;
    private static final int LEN = 1000;

    private final DeliveryRateSampler sampler = new DeliveryRateSampler();

    private static KcpSegment segment() {
        KcpSegment seg = new KcpSegment(Unpooled.buffer(LEN));
        seg.data.writeZero(LEN);
        return seg;
    }

    @Test
    void shouldSampleTheNewestUnambiguousSegment() {
        KcpSegment first = segment();
        sampler.onSent(first, 0, true);
        sampler.onAcked(first, 50 * MS, false);
        RateSample s = sampler.takeSample();
        assertEquals(50 * MS, s.rttNs);
        assertEquals(LEN, s.deliveredBytes);
        first.data.release();
    }

    @Test
    void shouldCountButNotSampleAResentSegmentCoveredByUna() {
        KcpSegment lost = segment();
        sampler.onSent(lost, 0, true);
        // Resent at 60 ms (its ACK was lost, say); una then covers it 0.2 ms later, thanks to another segment.
        sampler.onSent(lost, 60 * MS, false);
        sampler.onAcked(lost, 60 * MS + 200_000, true);
        assertNull(sampler.takeSample(), "a 0.2 ms 'RTT' must not reach the controller");
        KcpSegment next = segment();
        sampler.onSent(next, 61 * MS, false);
        sampler.onAcked(next, 111 * MS, false);
        RateSample s = sampler.takeSample();
        assertEquals(50 * MS, s.rttNs);
        assertEquals(2L * LEN, s.totalDeliveredBytes, "the ambiguous segment's bytes still count as delivered");
        lost.data.release();
        next.data.release();
    }
}
