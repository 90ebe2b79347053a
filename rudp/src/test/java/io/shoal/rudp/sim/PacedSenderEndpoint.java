package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;

/**
 * A trivial endpoint for testing links: sends {@code count} datagrams of {@code sizeBytes} (at least 8), datagram i at
 * {@code startNs + i * intervalNs}, each starting with its index as a big-endian long, and ignores what it receives.
 */
public final class PacedSenderEndpoint implements SimEndpoint {
    private final int count;
    private final int sizeBytes;
    private final long startNs;
    private final long intervalNs;
    private int next;

    public PacedSenderEndpoint(final int count, final int sizeBytes, final long startNs, final long intervalNs) {
        if (sizeBytes < 8) {
            throw new IllegalArgumentException("sizeBytes must be >= 8: " + sizeBytes);
        }
        this.count = count;
        this.sizeBytes = sizeBytes;
        this.startNs = startNs;
        this.intervalNs = intervalNs;
    }

    /** When datagram {@code index} is sent. */
    public long sendTimeNs(final int index) {
        return startNs + index * intervalNs;
    }

    public int sent() {
        return next;
    }

    @Override
    public void handleDatagram(final long nowNs, final ByteBuf datagram) {
    }

    @Override
    public void handleTimeout(final long nowNs) {
    }

    @Override
    public int pollTransmit(final long nowNs, final ByteBuf out) {
        if (next >= count || sendTimeNs(next) - nowNs > 0) {
            return 0;
        }
        out.writeLong(next++);
        out.writeZero(sizeBytes - 8);
        return sizeBytes;
    }

    @Override
    public long nextDeadlineNs() {
        return next >= count ? NO_DEADLINE : sendTimeNs(next);
    }

    @Override
    public int maxDatagramBytes() {
        return sizeBytes;
    }
}
