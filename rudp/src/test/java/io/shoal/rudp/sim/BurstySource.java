package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.SendResult;

/**
 * Sends {@code totalBytes} of {@link PatternBytes} stream {@code key} the way a request-driven server does (a peer
 * serving pieces, a file read chunk by chunk): one {@code burstBytes} write every {@code periodNs}, and only once the
 * engine's send queue has drained. Offered faster than the link, it still leaves the queue empty for a moment every
 * period, so the engine marks its sends application-limited although the bottleneck stays busy.
 */
public final class BurstySource implements KcpSimApp {
    private final long key;
    private final long totalBytes;
    private final int burstBytes;
    private final long periodNs;
    private long queuedBytes;
    private long nextNs;
    private String failure;

    public BurstySource(final long key, final long totalBytes, final int burstBytes, final long periodNs) {
        if (burstBytes < 1 || periodNs < 1) {
            throw new IllegalArgumentException("burstBytes and periodNs must be positive");
        }
        this.key = key;
        this.totalBytes = totalBytes;
        this.burstBytes = burstBytes;
        this.periodNs = periodNs;
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        if (failure != null || queuedBytes >= totalBytes || nowNs - nextNs < 0) {
            return;
        }
        nextNs = nowNs + periodNs;
        if (engine.stats().sendQueueSegments() > 0) {
            return; // the last burst is still queued: skip this period, as a server waiting on its reader would
        }
        final int size = (int) Math.min(burstBytes, totalBytes - queuedBytes);
        final ByteBuf data = engine.config().allocator().heapBuffer(size, size);
        PatternBytes.write(data, key, queuedBytes, size);
        final SendResult result = engine.send(nowNs, data);
        if (result != SendResult.QUEUED) {
            failure = "send of " + size + " bytes at offset " + queuedBytes + " returned " + result;
            return;
        }
        queuedBytes += size;
    }

    @Override
    public long nextWakeNs() {
        return failure != null || queuedBytes >= totalBytes ? SimEndpoint.NO_DEADLINE : nextNs;
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
