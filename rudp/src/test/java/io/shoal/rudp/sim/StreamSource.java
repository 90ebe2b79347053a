package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.SendResult;

import java.util.SplittableRandom;

/**
 * Sends {@code totalBytes} of {@link PatternBytes} stream {@code key} (use {@link Long#MAX_VALUE} for a bulk transfer
 * that never ends), in chunks of random size in [1, maxChunkBytes], whenever the engine is writable. Works in stream and
 * message mode (each chunk is then one message). Buffers come from the engine's allocator.
 */
public final class StreamSource implements KcpSimApp {
    private final long key;
    private final long totalBytes;
    private final int maxChunkBytes;
    private final SplittableRandom random;
    private long queuedBytes;
    private int nextChunk;
    private String failure;

    public StreamSource(final long key, final long totalBytes, final int maxChunkBytes, final long chunkSeed) {
        if (maxChunkBytes < 1) {
            throw new IllegalArgumentException("maxChunkBytes must be >= 1: " + maxChunkBytes);
        }
        this.key = key;
        this.totalBytes = totalBytes;
        this.maxChunkBytes = maxChunkBytes;
        this.random = new SplittableRandom(chunkSeed);
        this.nextChunk = pickChunk();
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        while (failure == null && queuedBytes < totalBytes && engine.isWritable()) {
            final int size = (int) Math.min(nextChunk, totalBytes - queuedBytes);
            final ByteBuf data = engine.config().allocator().heapBuffer(size, size);
            PatternBytes.write(data, key, queuedBytes, size);
            final SendResult result = engine.send(nowNs, data);
            if (result == SendResult.QUEUE_FULL) {
                return; // same chunk again when writable
            }
            if (result != SendResult.QUEUED) {
                failure = "send of " + size + " bytes at offset " + queuedBytes + " returned " + result;
                return;
            }
            queuedBytes += size;
            nextChunk = pickChunk();
        }
    }

    private int pickChunk() {
        return maxChunkBytes == 1 ? 1 : 1 + random.nextInt(maxChunkBytes);
    }

    /** Bytes the engine accepted so far. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** The first unexpected send outcome, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public boolean isDone() {
        return queuedBytes >= totalBytes || failure != null;
    }
}
