package io.shoal.rudp.socket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking secure rudp server socket: {@link #accept()} returns each connection that completed its handshake as a
 * {@link RudpSocket}. Runs a hidden event loop of its own (a {@link RudpServer} underneath); {@link #close()} stops
 * it and ends every connection it accepted.
 */
public final class RudpServerSocket implements Closeable {
    private final EventLoopGroup group;
    private final Channel socket;
    private final LinkedBlockingQueue<RudpSocket> accepted;
    private volatile int soTimeoutMs;

    private RudpServerSocket(final EventLoopGroup group, final Channel socket,
                             final LinkedBlockingQueue<RudpSocket> accepted) {
        this.group = group;
        this.socket = socket;
        this.accepted = accepted;
    }

    /** Binds to {@code local} (port 0 for any). */
    public static RudpServerSocket bind(final InetSocketAddress local, final RudpConfig config) throws IOException {
        final EventLoopGroup group = RudpSocket.newGroup();
        final LinkedBlockingQueue<RudpSocket> accepted = new LinkedBlockingQueue<>();
        final ChannelInitializer<RudpChannel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(final RudpChannel ch) {
                final ChannelBridge bridge = new ChannelBridge();
                ch.pipeline().addLast(bridge);
                accepted.add(new RudpSocket(ch, bridge, null, config));
            }
        };
        try {
            final Channel ch = RudpServer.bind(group, local, config, init).sync().channel();
            return new RudpServerSocket(group, ch, accepted);
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while binding");
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("bind to " + local + " failed", e);
        }
    }

    /** @return the next accepted connection; blocks at most {@link #setSoTimeout} ms (0: forever) */
    public RudpSocket accept() throws IOException {
        if (!socket.isOpen()) {
            throw new IOException("server socket closed");
        }
        try {
            final int t = soTimeoutMs;
            final RudpSocket s = t == 0 ? accepted.take() : accepted.poll(t, TimeUnit.MILLISECONDS);
            if (s == null) {
                throw new SocketTimeoutException("accept timed out after " + t + " ms");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while accepting");
        }
    }

    /** Accept timeout in milliseconds; 0 (the default) waits forever. */
    public void setSoTimeout(final int timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        soTimeoutMs = timeoutMs;
    }

    /** @return the bound address */
    public InetSocketAddress getLocalSocketAddress() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** Stops accepting; connections accepted but never taken by {@link #accept()} are aborted. */
    @Override
    public void close() {
        RudpSocket s;
        while ((s = accepted.poll()) != null) {
            s.abortQuietly();
        }
        socket.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
