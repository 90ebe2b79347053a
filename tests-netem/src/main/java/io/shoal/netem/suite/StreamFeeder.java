package io.shoal.netem.suite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpListener;

/**
 * Sends a byte array over a raw KCP connection from the connection's event loop, in chunks, whenever the connection
 * is writable (so nothing piles up in the shell). The array is wrapped, not copied: keep it unchanged until sent.
 */
public final class StreamFeeder implements RawKcpListener {
    private static final int CHUNK = 16_000;

    private final byte[] data;
    private RawKcpConnection conn;
    private int offset;

    public StreamFeeder(byte[] data) {
        this.data = data;
    }

    /** Starts feeding {@code c}, which must have been opened with this feeder as its listener. */
    public void start(RawKcpConnection c) {
        conn = c;
        c.executor().execute(this::feed);
    }

    private void feed() {
        while (offset < data.length && conn.isWritable()) {
            int n = Math.min(CHUNK, data.length - offset);
            conn.send(Unpooled.wrappedBuffer(data, offset, n));
            offset += n;
        }
    }

    @Override
    public void onMessage(RawKcpConnection c, ByteBuf message) {
    }

    @Override
    public void onWritabilityChanged(RawKcpConnection c, boolean nowWritable) {
        if (nowWritable) {
            feed();
        }
    }
}
