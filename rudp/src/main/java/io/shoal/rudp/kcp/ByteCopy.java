package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;

/**
 * Copies between buffers the fast way round. Netty 4.2's pooled buffers ({@code AdaptiveByteBuf}) implement
 * {@code dst.writeBytes(src)} through {@code ByteBuffer} views and a method handle ({@code absolutePut}) per copy (and
 * read-only sources through a new {@code ByteBuffer} each time); {@code src.getBytes(index, dst, ...)} lets the
 * source copy straight into the destination's array or memory address (one {@code Unsafe.copyMemory} or
 * {@code System.arraycopy}). The engine's segments and datagrams take every payload byte this way.
 */
final class ByteCopy {
    private ByteCopy() {
    }

    /** Appends {@code len} bytes of {@code src} from {@code srcIndex} to {@code dst}; {@code src}'s indices stay. */
    static void append(ByteBuf src, int srcIndex, int len, ByteBuf dst) {
        dst.ensureWritable(len);
        int w = dst.writerIndex();
        src.getBytes(srcIndex, dst, w, len);
        dst.writerIndex(w + len);
    }

    /** Moves {@code len} bytes from {@code src}'s reader index to the end of {@code dst}, advancing both. */
    static void transfer(ByteBuf src, int len, ByteBuf dst) {
        int r = src.readerIndex();
        append(src, r, len, dst);
        src.readerIndex(r + len);
    }
}
