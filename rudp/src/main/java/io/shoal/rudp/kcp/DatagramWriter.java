package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;

/**
 * Packs segments into datagrams of at most {@code mtu} bytes, in order, exactly as {@code ikcp_flush} fills its
 * buffer: a segment that does not fit closes the current datagram. Finished datagrams wait in a queue until the
 * driver polls them; the writer owns them until then. A driver that only reads a datagram (the secure profile seals
 * it into another buffer) hands it back with {@link #recycle}, and the next flush refills it instead of allocating:
 * up to {@code maxSpare} are kept (at most a send window's worth: the driver drains once per read batch, and the
 * flushes of one batch can fill hundreds at loopback rates), and {@link #releaseSpare} lets them go when the engine
 * is idle.
 */
final class DatagramWriter {
    private final ByteBufAllocator allocator;
    private final int mtu;
    private final int conv;
    private final boolean heap;
    private final int maxSpare;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>(2);
    private final ArrayDeque<ByteBuf> spare = new ArrayDeque<>(2);
    private ByteBuf current;

    /**
     * @param heap datagrams on the heap ({@link KcpConfig#heapDatagrams()}), else the allocator's choice
     * @param maxSpare how many recycled datagrams to keep at most
     */
    DatagramWriter(ByteBufAllocator allocator, int mtu, int conv, boolean heap, int maxSpare) {
        this.allocator = allocator;
        this.mtu = mtu;
        this.conv = conv;
        this.heap = heap;
        this.maxSpare = maxSpare;
    }

    private ByteBuf room(int need) {
        if (current != null && current.readableBytes() + need > mtu) {
            ready.addLast(current);
            current = null;
        }
        if (current == null) {
            current = spare.pollLast();
            if (current == null) {
                current = heap ? allocator.heapBuffer(mtu, mtu) : allocator.buffer(mtu, mtu);
            }
        }
        return current;
    }

    /** Appends a header-only segment (ACK, WASK, WINS). */
    void control(int cmd, int wnd, int ts, int sn, int una) {
        ByteBuf out = room(KcpSegmentCodec.HEADER_LENGTH);
        KcpSegmentCodec.encodeHeader(out, conv, cmd, 0, wnd, ts, sn, una, 0);
    }

    /** Appends a PUSH segment with its payload. */
    void push(KcpSegment seg) {
        int len = seg.len();
        ByteBuf out = room(KcpSegmentCodec.HEADER_LENGTH + len);
        KcpSegmentCodec.encodeHeader(out, conv, KcpSegmentCodec.CMD_PUSH, seg.frg, seg.wnd, seg.ts, seg.sn, seg.una,
            len);
        ByteBuf payload = seg.payload();
        ByteCopy.append(payload, payload.readerIndex(), len, out);
    }

    /** Closes the datagram being filled, if any ({@code ikcp_flush}'s final output). */
    void finish() {
        if (current != null) {
            if (current.isReadable()) {
                ready.addLast(current);
            } else {
                current.release();
            }
            current = null;
        }
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** The next finished datagram, now owned by the caller, or null. */
    ByteBuf poll() {
        return ready.pollFirst();
    }

    /**
     * Takes back a datagram {@link #poll} returned, once its bytes are used (ownership returns here): kept for the
     * next datagram while fewer than {@code maxSpare} are spare and it is one of ours, else released.
     */
    void recycle(ByteBuf datagram) {
        if (spare.size() < maxSpare && datagram.capacity() == mtu && datagram.refCnt() == 1) {
            datagram.clear();
            spare.addLast(datagram);
        } else {
            datagram.release();
        }
    }

    /** Releases the recycled datagrams kept for reuse (an idle engine's memory). */
    void releaseSpare() {
        releaseAll(spare);
    }

    void close() {
        finish();
        releaseAll(ready);
        releaseAll(spare);
    }

    private static void releaseAll(ArrayDeque<ByteBuf> buffers) {
        ByteBuf b;
        while ((b = buffers.pollFirst()) != null) {
            b.release();
        }
    }
}
