package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpListener;

import java.net.InetSocketAddress;

/** A perf link over a raw KCP conversation: the conversation's listener, forwarding to the perf session. */
final class RawPerfLink implements PerfLink, RawKcpListener {
    private PerfLink.Handler handler;
    private RawKcpConnection connection;

    /** Binds the conversation and the session; call before the conversation's first callback can run. */
    RawPerfLink bind(RawKcpConnection connection, PerfLink.Handler handler) {
        this.connection = connection;
        this.handler = handler;
        return this;
    }

    @Override
    public void onMessage(RawKcpConnection c, ByteBuf data) {
        handler.onMessage(data);
    }

    @Override
    public void onWritabilityChanged(RawKcpConnection c, boolean writable) {
        if (writable) {
            handler.onWritable();
        }
    }

    @Override
    public void onLinkDead(RawKcpConnection c) {
        handler.onLinkDead();
    }

    @Override
    public void onClosed(RawKcpConnection c) {
        handler.onClosed();
    }

    @Override
    public void send(ByteBuf data) {
        connection.send(data);
    }

    @Override
    public void flush() {
        // the raw shell flushes once per drive
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public EventExecutor executor() {
        return connection.executor();
    }

    @Override
    public KcpStats stats() {
        return connection.stats();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public String id() {
        return "conv " + Integer.toUnsignedString(connection.conv());
    }
}
