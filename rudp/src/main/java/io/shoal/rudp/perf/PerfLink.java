package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.shoal.rudp.kcp.KcpStats;

import java.net.InetSocketAddress;

/**
 * One perf test's connection, whichever profile carries it ({@link RawPerfLink}: a raw KCP conversation;
 * {@link SecurePerfLink}: a secure child channel), so the perf protocol is written once. Event-loop confined: call it
 * on {@link #executor()}; the {@link Handler} is called there too.
 */
interface PerfLink {
    /** What the link tells the perf session. */
    interface Handler {
        /** The next bytes of the stream; borrowed for the call. */
        void onMessage(ByteBuf data);

        /** The link takes data again after {@link #isWritable()} was false. */
        void onWritable();

        /** The peer stopped acknowledging; {@link #onClosed()} follows. */
        void onLinkDead();

        /** The link ended. Last call. */
        void onClosed();
    }

    /** Queues {@code data} (ownership passes); {@link #flush()} sends what was queued. */
    void send(ByteBuf data);

    /** Sends what {@link #send} queued, where the link batches writes. */
    void flush();

    boolean isWritable();

    boolean isOpen();

    /** Ends the link gracefully. */
    void close();

    EventExecutor executor();

    /** The engine's counters. */
    KcpStats stats();

    InetSocketAddress remoteAddress();

    /** A short id for log lines: the conv, or the connection id. */
    String id();
}
