package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How {@link SegmentedDatagramWriter} groups datagrams, on an {@link EmbeddedChannel} (no socket). */
class SegmentedDatagramWriterTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);

    private final SegmentedDatagramWriter writer = new SegmentedDatagramWriter();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    }

    @AfterEach
    void tearDown() {
        writer.discard();
        channel.finishAndReleaseAll();
    }

    private void attach(boolean enabled) {
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        writer.attach(ctx, enabled);
    }

    private static ByteBuf datagram(int size, int fill) {
        ByteBuf b = Unpooled.directBuffer(size);
        for (int i = 0; i < size; i++) {
            b.writeByte(fill + i);
        }
        return b;
    }

    private List<Object> written() {
        channel.flushOutbound();
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = channel.readOutbound()) != null) {
            out.add(m);
        }
        return out;
    }

    @Test
    void shouldWriteEachDatagramAsItIsWhenDisabled() {
        attach(false);
        ByteBuf first = datagram(1400, 1);
        writer.add(first, A);
        writer.add(datagram(1400, 2), A);
        writer.finish();
        List<Object> out = written();
        assertEquals(2, out.size());
        DatagramPacket p = assertInstanceOf(DatagramPacket.class, out.get(0));
        assertFalse(p instanceof SegmentedDatagramPacket);
        assertSame(first, p.content(), "a plain datagram must not be copied");
        out.forEach(o -> ((DatagramPacket) o).release());
        assertEquals(0, writer.segmentedWrites());
    }

    @Test
    void shouldJoinEqualDatagramsAndShortTailWhenEnabled() {
        assumeTrue(EpollDatagramChannel.isSegmentedDatagramPacketSupported(), "UDP_SEGMENT not supported here");
        attach(true);
        for (int i = 0; i < 5; i++) {
            writer.add(datagram(1400, i), A);
        }
        writer.add(datagram(300, 9), A); // a short datagram may end a run
        writer.add(datagram(300, 10), A); // ... but nothing may follow it in the same run
        writer.finish();
        List<Object> out = written();
        assertEquals(2, out.size());
        SegmentedDatagramPacket run = assertInstanceOf(SegmentedDatagramPacket.class, out.get(0));
        assertEquals(1400, run.segmentSize());
        assertEquals(5 * 1400 + 300, run.content().readableBytes());
        assertEquals(A, run.recipient());
        assertEquals((byte) 3, run.content().getByte(3 * 1400), "runs keep datagram order");
        assertEquals((byte) 9, run.content().getByte(5 * 1400));
        DatagramPacket tail = assertInstanceOf(DatagramPacket.class, out.get(1));
        assertFalse(tail instanceof SegmentedDatagramPacket, "a lone datagram is written plain");
        assertEquals(300, tail.content().readableBytes());
        out.forEach(o -> ((DatagramPacket) o).release());
        assertEquals(1, writer.segmentedWrites());
    }

    @Test
    void shouldSplitRunsWhenRemoteChangesOrRunIsFull() {
        assumeTrue(EpollDatagramChannel.isSegmentedDatagramPacketSupported(), "UDP_SEGMENT not supported here");
        attach(true);
        int perRun = SegmentedDatagramWriter.MAX_RUN_BYTES / 1400;
        for (int i = 0; i < perRun + 2; i++) {
            writer.add(datagram(1400, i), A);
        }
        writer.add(datagram(1400, 0), B);
        writer.add(datagram(1400, 0), B);
        writer.finish();
        List<Object> out = written();
        assertEquals(3, out.size());
        assertEquals(perRun * 1400, ((DatagramPacket) out.get(0)).content().readableBytes());
        assertEquals(2 * 1400, ((DatagramPacket) out.get(1)).content().readableBytes());
        assertEquals(B, ((DatagramPacket) out.get(2)).recipient());
        assertInstanceOf(SegmentedDatagramPacket.class, out.get(2));
        out.forEach(o -> ((DatagramPacket) o).release());
        assertNull(channel.readOutbound());
    }

    @Test
    void shouldWriteInPlaceIntoTheRunAndSendNothingWhenTheProducerRefuses() {
        assumeTrue(EpollDatagramChannel.isSegmentedDatagramPacketSupported(), "UDP_SEGMENT not supported here");
        attach(true);
        for (int i = 0; i < 3; i++) {
            final int fill = i;
            assertTrue(writer.addInPlace(1400, A, b -> fill(b, 1400, fill)));
        }
        assertFalse(writer.addInPlace(1400, A, b -> false), "a refusing producer sends nothing");
        assertThrows(IllegalStateException.class, () -> writer.addInPlace(1400, A, b -> fill(b, 1399, 7)),
            "a datagram of the wrong length would shift every later one in the run");
        writer.add(datagram(1400, 3), A);
        writer.finish();
        List<Object> out = written();
        assertEquals(1, out.size());
        SegmentedDatagramPacket run = assertInstanceOf(SegmentedDatagramPacket.class, out.get(0));
        assertEquals(4 * 1400, run.content().readableBytes(), "only the datagrams that were written");
        for (int i = 0; i < 4; i++) {
            assertEquals((byte) i, run.content().getByte(i * 1400), "datagram " + i + " in order");
        }
        out.forEach(o -> ((DatagramPacket) o).release());
    }

    @Test
    void shouldWriteInPlaceIntoABufferOfItsOwnWhenDisabled() {
        attach(false);
        assertTrue(writer.addInPlace(500, A, b -> fill(b, 500, 5)));
        assertFalse(writer.addInPlace(500, A, b -> false));
        writer.finish();
        List<Object> out = written();
        assertEquals(1, out.size());
        DatagramPacket p = assertInstanceOf(DatagramPacket.class, out.get(0));
        assertEquals(500, p.content().readableBytes());
        assertEquals((byte) 5, p.content().getByte(0));
        out.forEach(o -> ((DatagramPacket) o).release());
    }

    private static boolean fill(ByteBuf b, int size, int fill) {
        for (int i = 0; i < size; i++) {
            b.writeByte(fill + i);
        }
        return true;
    }
}
