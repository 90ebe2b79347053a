package io.shoal.rudp.kcp;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SendBuffer} and {@link ReceiveBuffer} grow from nothing and shrink back without changing any result. */
class SegmentRingsTest {
    private static KcpSegment segment(final int sn) {
        final KcpSegment seg = new KcpSegment(Unpooled.EMPTY_BUFFER);
        seg.sn = sn;
        return seg;
    }

    @Test
    void shouldKeepEverySegmentAtItsSerialNumberWhileTheSendRingGrows() {
        final SendBuffer buf = new SendBuffer(256);
        final List<KcpSegment> sent = new ArrayList<>();
        // Start at serial number 10, so ring slots and serial numbers are not aligned at zero.
        for (int i = 0; i < 10; i++) {
            buf.append(segment(0));
            buf.pollBelow(buf.nxt());
        }
        assertEquals(0, buf.count());
        for (int i = 0; i < 256; i++) {
            final KcpSegment seg = segment(0);
            buf.append(seg);
            sent.add(seg);
            if (i % 37 == 0) {
                assertSame(sent.get(i / 2), buf.get(sent.get(i / 2).sn), "after " + i + " appends");
            }
        }
        assertTrue(buf.isFull());
        assertEquals(256, buf.capacity());
        assertSame(sent.get(200), buf.remove(sent.get(200).sn));
        assertNull(buf.get(sent.get(200).sn));
        buf.trim();
        assertEquals(255, buf.count(), "trim keeps a ring that holds segments");
        for (int i = 0; i < 256; i++) {
            if (i != 200) {
                assertSame(sent.get(i), buf.pollBelow(buf.nxt()));
            }
        }
        assertNull(buf.pollBelow(buf.nxt()));
        buf.trim();
        final KcpSegment again = segment(0);
        final int sn = buf.append(again);
        assertSame(again, buf.get(sn), "a trimmed ring comes back on the next append");
    }

    @Test
    void shouldQueueOutOfOrderSegmentsInOrderWhileTheReceiveRingGrows() {
        final ReceiveBuffer rcv = new ReceiveBuffer(128);
        assertTrue(rcv.insert(segment(127)), "the far end of the window first: the ring grows to it at once");
        final List<Integer> order = new ArrayList<>();
        for (int sn = 0; sn < 127; sn++) {
            order.add(sn);
        }
        Collections.shuffle(order, new Random(3));
        for (final int sn : order) {
            assertTrue(rcv.insert(segment(sn)));
            assertFalse(rcv.insert(segment(sn)), "a second copy of " + sn + " is refused");
        }
        rcv.trim();
        assertEquals(128, rcv.bufferedCount(), "trim keeps a ring that holds segments");
        rcv.moveToQueue();
        assertEquals(0, rcv.bufferedCount());
        for (int sn = 0; sn < 128; sn++) {
            assertEquals(sn, rcv.queue().pollFirst().sn);
        }
        rcv.trim();
        assertTrue(rcv.insert(segment(129)));
        assertTrue(rcv.insert(segment(128)));
        rcv.moveToQueue();
        assertEquals(2, rcv.queueCount());
        assertEquals(130, rcv.rcvNxt());
    }
}
