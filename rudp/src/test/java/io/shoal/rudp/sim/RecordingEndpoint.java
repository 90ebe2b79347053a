package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A trivial endpoint for testing links: records each datagram's arrival time, its first eight bytes (the index a
 * {@link PacedSenderEndpoint} writes) and a content hash, and optionally echoes it back unchanged.
 */
public final class RecordingEndpoint implements SimEndpoint {
    private final boolean echo;
    private final int maxDatagramBytes;
    private final ArrayDeque<ByteBuf> echoes = new ArrayDeque<>();
    private long[] arrivalNs = new long[1024];
    private long[] indexes = new long[1024];
    private long[] hashes = new long[1024];
    private int received;

    public RecordingEndpoint(final boolean echo, final int maxDatagramBytes) {
        this.echo = echo;
        this.maxDatagramBytes = maxDatagramBytes;
    }

    @Override
    public void handleDatagram(final long nowNs, final ByteBuf datagram) {
        if (received == arrivalNs.length) {
            arrivalNs = Arrays.copyOf(arrivalNs, received * 2);
            indexes = Arrays.copyOf(indexes, received * 2);
            hashes = Arrays.copyOf(hashes, received * 2);
        }
        arrivalNs[received] = nowNs;
        indexes[received] = datagram.readableBytes() >= 8 ? datagram.getLong(datagram.readerIndex()) : -1;
        long h = 1125899906842597L;
        for (int i = datagram.readerIndex(); i < datagram.writerIndex(); i++) {
            h = 31 * h + datagram.getByte(i);
        }
        hashes[received] = h;
        received++;
        if (echo) {
            echoes.add(datagram.copy());
        }
    }

    @Override
    public void handleTimeout(final long nowNs) {
    }

    @Override
    public int pollTransmit(final long nowNs, final ByteBuf out) {
        final ByteBuf next = echoes.poll();
        if (next == null) {
            return 0;
        }
        try {
            final int length = next.readableBytes();
            out.writeBytes(next);
            return length;
        } finally {
            next.release();
        }
    }

    @Override
    public long nextDeadlineNs() {
        return NO_DEADLINE;
    }

    @Override
    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    @Override
    public boolean isIdle() {
        return echoes.isEmpty();
    }

    @Override
    public void close() {
        ByteBuf b;
        while ((b = echoes.poll()) != null) {
            b.release();
        }
    }

    public int received() {
        return received;
    }

    public long arrivalNs(final int i) {
        return arrivalNs[i];
    }

    /** The first eight bytes of arrival {@code i} as a long, or -1 if it was shorter. */
    public long index(final int i) {
        return indexes[i];
    }

    /** A hash of arrival {@code i}'s bytes. */
    public long hash(final int i) {
        return hashes[i];
    }
}
