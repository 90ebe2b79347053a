package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;

/**
 * A per-engine free list of segments with mss-sized payload buffers, so the hot path does not allocate. The engine
 * empties it with {@link #close} when it goes idle: an idle connection then holds no payload buffer, and a busy one
 * keeps its warm segments.
 */
final class SegmentPool {
    private final ByteBufAllocator allocator;
    private final int mss;
    private final int maxIdle;
    private final ArrayDeque<KcpSegment> free = new ArrayDeque<>(1);

    SegmentPool(ByteBufAllocator allocator, int mss, int maxIdle) {
        this.allocator = allocator;
        this.mss = mss;
        this.maxIdle = maxIdle;
    }

    KcpSegment acquire() {
        KcpSegment seg = free.pollLast();
        if (seg == null) {
            return new KcpSegment(allocator.heapBuffer(mss, mss));
        }
        return seg;
    }

    void release(KcpSegment seg) {
        seg.reset(); // also lets a shared payload go
        if (free.size() >= maxIdle) {
            seg.data.release();
            return;
        }
        free.addLast(seg);
    }

    /** Frees every idle segment's buffer (the pool stays usable: later acquires allocate again). */
    void close() {
        KcpSegment seg;
        while ((seg = free.pollLast()) != null) {
            seg.data.release();
        }
    }
}
