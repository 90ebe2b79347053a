package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive path's buffers with {@link KcpEngine#handleSharedDatagram}: segments keep retained slices of the
 * datagram (a fresh buffer per datagram, as the secure profile's decryption makes), {@link KcpEngine#pollMessage}
 * hands a whole segment over as its slice, every other read copies out of the slices, and each datagram's memory is
 * freed once its last segment is read, dropped as a duplicate, or the engine closes. Datagrams arrive shuffled, some
 * twice.
 */
class ReceivePathBuffersTest {
    private static final long MS = 1_000_000L;

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final KcpConfig stream = KcpConfig.turbo().toBuilder().stream(true).allocator(alloc).build();
    private final Random random = new Random(11);
    /** Every datagram handed to the receiver, to check that each is freed in the end. */
    private final List<ByteBuf> fed = new ArrayList<>();
    private long nowNs = 1_000 * MS;

    @Test
    void shouldHandWholeSegmentsOverAsSlicesOfTheDatagramWhenSharedInStreamMode() {
        final KcpEngine a = new KcpEngine(3, stream);
        final KcpEngine b = new KcpEngine(3, stream);
        final byte[] bytes = randomBytes(300 * stream.mss() + 77);
        a.send(nowNs, Unpooled.wrappedBuffer(bytes));
        final ByteBuf out = Unpooled.buffer(bytes.length);
        int slices = 0;
        for (int step = 0; step < 2_000 && !(out.readableBytes() == bytes.length && a.isIdle()); step++) {
            exchangeOnce(a, b);
            ByteBuf m;
            while ((m = b.pollMessage()) != null) {
                final ByteBuf parent = m.unwrap();
                if (parent != null && fed.stream().anyMatch(f -> f == parent)) {
                    slices++;
                }
                out.writeBytes(m);
                m.release();
            }
        }
        assertArrayEquals(bytes, readAll(out));
        out.release();
        assertEquals(300, slices, "every full segment handed over as a slice of the datagram it came in (the "
                + "77-byte tail, below SHARE_MIN_BYTES, copied)");
        assertTrue(fed.stream().allMatch(d -> d.refCnt() == 0), "each datagram freed once its segment was read");
        a.close();
        b.close();
    }

    @Test
    void shouldCopyOutOfSharedSegmentsWhenReadIntoABufferOrAsAManySegmentMessage() {
        final KcpConfig messages = stream.toBuilder().stream(false).build();
        final KcpEngine a = new KcpEngine(4, messages);
        final KcpEngine b = new KcpEngine(4, messages);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            final byte[] m = randomBytes(1 + random.nextInt(6 * messages.mss()));
            sent.add(m);
            a.send(nowNs, Unpooled.wrappedBuffer(m));
        }
        final List<byte[]> received = new ArrayList<>();
        final ByteBuf dst = Unpooled.buffer(messages.maxMessageBytes());
        for (int step = 0; step < 2_000 && received.size() < sent.size(); step++) {
            exchangeOnce(a, b);
            int n;
            while ((n = b.receive(dst)) > 0) { // KcpEngine.receive: through pollMessage, one or many segments
                received.add(readAll(dst));
                assertEquals(received.get(received.size() - 1).length, n);
            }
        }
        dst.release();
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i), "message " + i);
        }
        assertTrue(fed.stream().allMatch(d -> d.refCnt() == 0), "each datagram freed once its segments were read");
        a.close();
        b.close();
    }

    @Test
    void shouldReadStreamBytesAcrossSharedSegmentsIntoSmallBuffers() {
        final KcpEngine a = new KcpEngine(5, stream);
        final KcpEngine b = new KcpEngine(5, stream);
        final byte[] bytes = randomBytes(40 * stream.mss() + 5);
        a.send(nowNs, Unpooled.wrappedBuffer(bytes));
        final ByteBuf out = Unpooled.buffer(bytes.length);
        final ByteBuf small = Unpooled.buffer(1000); // not a divisor of the mss: reads stop inside segments
        for (int step = 0; step < 2_000 && !(out.readableBytes() == bytes.length && a.isIdle()); step++) {
            exchangeOnce(a, b);
            while (b.receive(small) > 0) {
                out.writeBytes(small);
                small.clear();
            }
        }
        small.release();
        assertArrayEquals(bytes, readAll(out));
        out.release();
        assertTrue(fed.stream().allMatch(d -> d.refCnt() == 0));
        a.close();
        b.close();
    }

    @Test
    void shouldCopySmallPayloadsSoTheDatagramIsFreeAgainWhenHandled() {
        final KcpConfig messages = stream.toBuilder().stream(false).build();
        final KcpEngine a = new KcpEngine(7, messages);
        final KcpEngine b = new KcpEngine(7, messages);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            final byte[] m = randomBytes(1 + random.nextInt(KcpReceiver.SHARE_MIN_BYTES - 1));
            sent.add(m);
            a.send(nowNs, Unpooled.wrappedBuffer(m));
        }
        for (int step = 0; step < 200 && !a.isIdle(); step++) {
            exchangeOnce(a, b); // nothing read yet: small payloads wait in b as copies, not as slices
        }
        assertTrue(a.isIdle(), "all acknowledged");
        assertTrue(fed.stream().allMatch(d -> d.refCnt() == 0), "no datagram held by an unread small message");
        for (final byte[] m : sent) {
            final ByteBuf got = b.pollMessage();
            assertArrayEquals(m, readAll(got));
            got.release();
        }
        a.close();
        b.close();
    }

    @Test
    void shouldFreeSharedDatagramsWhenClosedWithUnreadData() {
        final KcpEngine a = new KcpEngine(6, stream);
        final KcpEngine b = new KcpEngine(6, stream);
        a.send(nowNs, Unpooled.wrappedBuffer(randomBytes(50 * stream.mss())));
        for (int step = 0; step < 20; step++) {
            exchangeOnce(a, b); // nothing read: the segments wait in b's queue and receive buffer
        }
        assertTrue(b.peekSize() > 0);
        assertTrue(fed.stream().anyMatch(d -> d.refCnt() > 0), "unread segments hold their datagrams");
        b.close();
        assertTrue(fed.stream().allMatch(d -> d.refCnt() == 0), "close frees every shared slice");
        a.close();
    }

    /** One tick: both engines' timers, then a's datagrams to b (shared, shuffled, one in eight twice), b's to a. */
    private void exchangeOnce(final KcpEngine a, final KcpEngine b) {
        nowNs += 10 * MS;
        a.handleTimeout(nowNs);
        b.handleTimeout(nowNs);
        final List<ByteBuf> datagrams = new ArrayList<>();
        ByteBuf d;
        while ((d = a.pollDatagram()) != null) {
            datagrams.add(d);
        }
        Collections.shuffle(datagrams, random);
        for (final ByteBuf datagram : datagrams) {
            for (int copies = random.nextInt(8) == 0 ? 2 : 1; copies > 0; copies--) {
                // A fresh heap buffer per datagram, as decryption makes: the engine may keep slices of it.
                final ByteBuf fresh = alloc.heapBuffer(datagram.readableBytes()).writeBytes(datagram,
                        datagram.readerIndex(), datagram.readableBytes());
                fed.add(fresh);
                b.handleSharedDatagram(nowNs, fresh);
                fresh.release();
            }
            datagram.release();
        }
        while ((d = b.pollDatagram()) != null) {
            a.handleDatagram(nowNs, d);
            d.release();
        }
    }

    /** @return {@code buf}'s readable bytes, read (the buffer stays the caller's) */
    private static byte[] readAll(final ByteBuf buf) {
        assertNotNull(buf);
        final byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.clear();
        return bytes;
    }

    private byte[] randomBytes(final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
