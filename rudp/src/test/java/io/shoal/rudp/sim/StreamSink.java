package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;

/**
 * Reads everything the engine delivers with {@link KcpEngine#pollMessage()} and checks it is {@link PatternBytes}
 * stream {@code key}, byte for byte, in order, with nothing extra: the first mismatch is kept as {@link #failure()}.
 * Releases every buffer it reads. Set {@code verify} false for benchmarks that only count bytes.
 */
public final class StreamSink implements KcpSimApp {
    private final long key;
    private final long expectedBytes;
    private final boolean verify;
    private long receivedBytes;
    private long lastDeliveryNs = -1;
    private String failure;

    public StreamSink(final long key, final long expectedBytes, final boolean verify) {
        this.key = key;
        this.expectedBytes = expectedBytes;
        this.verify = verify;
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        ByteBuf data;
        while ((data = engine.pollMessage()) != null) {
            try {
                final int length = data.readableBytes();
                if (failure == null && receivedBytes + length > expectedBytes) {
                    failure = "received " + (receivedBytes + length) + " bytes, expected only " + expectedBytes;
                }
                if (verify && failure == null) {
                    final long bad = PatternBytes.firstMismatch(data, key, receivedBytes);
                    if (bad >= 0) {
                        failure = "wrong byte at stream offset " + bad + " (chunk of " + length + " at "
                            + receivedBytes + ")";
                    }
                }
                receivedBytes += length;
                lastDeliveryNs = nowNs;
            } finally {
                data.release();
            }
        }
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    /** Virtual time of the last delivery, or -1. */
    public long lastDeliveryNs() {
        return lastDeliveryNs;
    }

    /** The first integrity problem seen, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public boolean isDone() {
        return receivedBytes >= expectedBytes || failure != null;
    }
}
