package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An idle engine hands every pooled buffer back on {@link KcpEngine#releaseIdleMemory()} and works on after it. */
class IdleMemoryTest {
    private static final long MS = 1_000_000L;

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final KcpConfig config = KcpConfig.turbo().toBuilder().allocator(alloc).build();
    private final KcpEngine a = new KcpEngine(7, config);
    private final KcpEngine b = new KcpEngine(7, config);
    private final Random random = new Random(42);
    private long nowNs = 1_000 * MS;

    @Test
    void shouldHoldNoBufferOnceIdleAndReleasedThenDeliverAgain() {
        for (int round = 0; round < 3; round++) {
            final List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                final byte[] m = new byte[1 + random.nextInt(3000)];
                random.nextBytes(m);
                messages.add(m);
                a.send(nowNs, Unpooled.wrappedBuffer(m));
            }
            final List<byte[]> received = new ArrayList<>();
            for (int step = 0; step < 500 && !(a.isIdle() && b.isIdle() && received.size() == messages.size());
                 step++) {
                nowNs += 10 * MS;
                a.handleTimeout(nowNs);
                b.handleTimeout(nowNs);
                exchange(a, b);
                exchange(b, a);
                ByteBuf m;
                while ((m = b.pollMessage()) != null) {
                    final byte[] bytes = new byte[m.readableBytes()];
                    m.readBytes(bytes);
                    m.release();
                    received.add(bytes);
                }
            }
            assertEquals(messages.size(), received.size(), "round " + round);
            for (int i = 0; i < messages.size(); i++) {
                assertTrue(java.util.Arrays.equals(messages.get(i), received.get(i)), "message " + i);
            }
            assertTrue(a.isIdle() && b.isIdle());
            assertTrue(alloc.metric().usedHeapMemory() > 0, "the pools keep warm segments until released");
            a.releaseIdleMemory();
            b.releaseIdleMemory();
            assertEquals(0, alloc.metric().usedHeapMemory(), "round " + round + ": nothing held once released");
        }
        a.close();
        b.close();
    }

    /** Moves every datagram from {@code from} to {@code to}, shuffled so that the receive ring fills out of order. */
    private void exchange(final KcpEngine from, final KcpEngine to) {
        final List<ByteBuf> datagrams = new ArrayList<>();
        ByteBuf d;
        while ((d = from.pollDatagram()) != null) {
            datagrams.add(d);
        }
        Collections.shuffle(datagrams, random);
        for (final ByteBuf datagram : datagrams) {
            to.handleDatagram(nowNs, datagram);
            datagram.release();
        }
    }
}
