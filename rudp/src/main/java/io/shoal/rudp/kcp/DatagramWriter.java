package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;

/**
 * Packs segments into datagrams of at most {@code mtu} bytes, in order, exactly as {@code ikcp_flush} fills its
 * buffer: a segment that does not fit closes the current datagram. Finished datagrams wait in a queue until the
 * driver polls them; the writer owns them until then.
 */
final class DatagramWriter {
    private final ByteBufAllocator allocator;
    private final int mtu;
    private final int conv;
    private final ArrayDeque<ByteBuf> ready = new ArrayDeque<>(2);
    private ByteBuf current;

    DatagramWriter(ByteBufAllocator allocator, int mtu, int conv) {
        this.allocator = allocator;
        this.mtu = mtu;
        this.conv = conv;
    }

    private ByteBuf room(int need) {
        if (current != null && current.readableBytes() + need > mtu) {
            ready.addLast(current);
            current = null;
        }
        if (current == null) {
            current = allocator.buffer(mtu, mtu);
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
        out.writeBytes(seg.data, seg.data.readerIndex(), len);
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

    void close() {
        finish();
        ByteBuf b;
        while ((b = ready.pollFirst()) != null) {
            b.release();
        }
    }
}
