package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send path's buffers: full segments share the sent buffer (retained slices, released once acknowledged),
 * heap datagrams handed back with {@link KcpEngine#recycleDatagram} are refilled instead of allocated, and neither
 * changes a byte on the wire.
 */
class SendPathBuffersTest {
    private static final long MS = 1_000_000L;

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true); // direct unless asked for heap, as Netty's default
    private final KcpConfig stream = KcpConfig.turbo().toBuilder().stream(true).allocator(alloc).build();
    private final Random random = new Random(7);
    private long nowNs = 1_000 * MS;

    @Test
    void shouldRetainFullSegmentsOfTheSentBufferUntilAcknowledged() {
        final KcpEngine a = new KcpEngine(3, stream);
        final KcpEngine b = new KcpEngine(3, stream);
        final int mss = stream.mss();
        final byte[] bytes = randomBytes(5 * mss + 100);
        final ByteBuf src = alloc.directBuffer(bytes.length).writeBytes(bytes);
        a.send(nowNs, src.retain());
        assertEquals(1 + 5, src.refCnt(), "our reference and one slice per full segment; the 100-byte tail is copied");
        final byte[] received = deliver(a, b, bytes.length, false);
        assertArrayEquals(bytes, received);
        assertTrue(a.isIdle(), "everything acknowledged");
        assertEquals(1, src.refCnt(), "acknowledged segments let their slices go");
        src.release();
        a.close();
        b.close();
    }

    @Test
    void shouldReleaseSharedSegmentsWhenClosedBeforeAcknowledged() {
        final KcpEngine a = new KcpEngine(3, stream);
        final ByteBuf src = alloc.directBuffer().writeBytes(randomBytes(3 * stream.mss()));
        a.send(nowNs, src.retain());
        a.handleTimeout(nowNs);
        nowNs += 10 * MS;
        a.handleTimeout(nowNs);
        ByteBuf d;
        while ((d = a.pollDatagram()) != null) {
            d.release();
        }
        assertEquals(1 + 3, src.refCnt());
        a.close();
        assertEquals(1, src.refCnt(), "close frees the unacknowledged segments' slices");
        src.release();
    }

    @Test
    void shouldRefillRecycledHeapDatagramsAndHoldNoneOnceIdleAndReleased() {
        final KcpConfig heap = stream.toBuilder().heapDatagrams(true).build();
        final KcpEngine a = new KcpEngine(5, heap);
        final KcpEngine b = new KcpEngine(5, heap);
        final byte[] bytes = randomBytes(200 * heap.mss() + 17);
        a.send(nowNs, Unpooled.wrappedBuffer(bytes));
        final Map<ByteBuf, Boolean> distinct = new IdentityHashMap<>();
        final List<ByteBuf> seen = new ArrayList<>();
        final byte[] received = deliver(a, b, bytes.length, true, distinct, seen);
        assertArrayEquals(bytes, received);
        assertTrue(seen.stream().allMatch(ByteBuf::hasArray), "heap datagrams");
        assertTrue(distinct.size() * 2 < seen.size(),
            distinct.size() + " buffers for " + seen.size() + " datagrams: recycled ones are refilled");
        assertTrue(a.isIdle() && b.isIdle());
        a.releaseIdleMemory();
        b.releaseIdleMemory();
        assertEquals(0, alloc.metric().usedHeapMemory(), "spare datagrams go with the idle release");
        assertEquals(0, alloc.metric().usedDirectMemory());
        a.close();
        b.close();
    }

    @Test
    void shouldWriteTheSameBytesWithHeapRecycledDatagramsAsWithout() {
        final KcpEngine direct = new KcpEngine(9, stream);
        final KcpEngine heap = new KcpEngine(9, stream.toBuilder().heapDatagrams(true).build());
        for (int round = 0; round < 5; round++) {
            final byte[] bytes = randomBytes(1 + random.nextInt(20 * stream.mss()));
            direct.send(nowNs, Unpooled.wrappedBuffer(bytes));
            heap.send(nowNs, Unpooled.wrappedBuffer(bytes));
            nowNs += 10 * MS;
            direct.handleTimeout(nowNs);
            heap.handleTimeout(nowNs);
            ByteBuf x;
            while ((x = direct.pollDatagram()) != null) {
                final ByteBuf y = heap.pollDatagram();
                assertTrue(y != null && y.hasArray() && !x.hasArray(), "round " + round);
                assertEquals(ByteBufUtil.hexDump(x), ByteBufUtil.hexDump(y), "round " + round);
                x.release();
                heap.recycleDatagram(y);
            }
            assertEquals(null, heap.pollDatagram());
        }
        direct.close();
        heap.close();
    }

    private byte[] deliver(final KcpEngine a, final KcpEngine b, final int length, final boolean recycle) {
        return deliver(a, b, length, recycle, new IdentityHashMap<>(), new ArrayList<>());
    }

    /** Runs both engines until {@code b} has read {@code length} stream bytes and both are idle. */
    private byte[] deliver(final KcpEngine a, final KcpEngine b, final int length, final boolean recycle,
                           final Map<ByteBuf, Boolean> distinct, final List<ByteBuf> seen) {
        final ByteBuf out = Unpooled.buffer(length);
        for (int step = 0; step < 2_000 && !(out.readableBytes() == length && a.isIdle() && b.isIdle()); step++) {
            nowNs += 10 * MS;
            a.handleTimeout(nowNs);
            b.handleTimeout(nowNs);
            exchange(a, b, recycle, distinct, seen);
            exchange(b, a, false, new IdentityHashMap<>(), new ArrayList<>());
            b.receive(out);
        }
        final byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return bytes;
    }

    /** Moves every datagram from {@code from} to {@code to}, shuffled; recycles them into {@code from} or frees. */
    private void exchange(final KcpEngine from, final KcpEngine to, final boolean recycle,
                          final Map<ByteBuf, Boolean> distinct, final List<ByteBuf> seen) {
        final List<ByteBuf> datagrams = new ArrayList<>();
        ByteBuf d;
        while ((d = from.pollDatagram()) != null) {
            datagrams.add(d);
            distinct.put(d, Boolean.TRUE);
            seen.add(d);
        }
        Collections.shuffle(datagrams, random);
        for (final ByteBuf datagram : datagrams) {
            to.handleDatagram(nowNs, datagram);
            if (recycle) {
                from.recycleDatagram(datagram);
            } else {
                datagram.release();
            }
        }
    }

    private byte[] randomBytes(final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
