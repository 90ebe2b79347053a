package io.shoal.rudp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.ConnectionStats;
import io.shoal.rudp.session.RudpConfig;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A blocking secure rudp connection, for code that does not use Netty: {@link #getInputStream()} and
 * {@link #getOutputStream()} (stream mode, or message mode where each write is one message), or {@link #send} and
 * {@link #receive} for whole messages. Built on a {@link RudpChannel} driven by a hidden event loop. Reads and
 * writes honour {@link #setSoTimeout} with {@link SocketTimeoutException}. One reader and one writer thread at a
 * time. {@link #close()} is graceful: it returns once everything written has been delivered and the connection has
 * ended (or after the idle timeout).
 */
public final class RudpSocket implements Closeable {
    /** Largest piece one stream write is cut into (stays under the engine's message size limit). */
    static final int MAX_WRITE_BYTES = 64 * 1024;

    private final RudpChannel channel;
    private final ChannelBridge bridge;
    private final EventLoopGroup ownedGroup;
    private final long closeWaitMs;
    private final InputStream in = new In();
    private final OutputStream out = new Out();
    private volatile int soTimeoutMs;
    /** The latest write; writes complete in order, so waiting for it waits for all of them. */
    private volatile ChannelFuture lastWrite;
    private ByteBuf current;

    RudpSocket(final RudpChannel channel, final ChannelBridge bridge, final EventLoopGroup ownedGroup,
               final RudpConfig config) {
        this.channel = channel;
        this.bridge = bridge;
        this.ownedGroup = ownedGroup;
        this.closeWaitMs = TimeUnit.NANOSECONDS.toMillis(config.idleTimeoutNs()) + 1_000;
    }

    /**
     * Connects to {@code remote} (known to the peer-key policy as {@code peerName}) over a socket of its own,
     * waiting at most the handshake timeout.
     */
    public static RudpSocket connect(final InetSocketAddress remote, final String peerName, final RudpConfig config)
            throws IOException {
        final EventLoopGroup group = newGroup();
        final ChannelBridge bridge = new ChannelBridge();
        try {
            final RudpChannel ch = RudpClient.connect(group, config, remote, peerName, bridge).get();
            return new RudpSocket(ch, bridge, group, config);
        } catch (ExecutionException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("connect to " + remote + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        }
    }

    static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-rudp-socket", true),
                NioIoHandler.newFactory());
    }

    /** Read and write timeout in milliseconds; 0 (the default) waits forever. */
    public void setSoTimeout(final int timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        soTimeoutMs = timeoutMs;
    }

    /** @return the read and write timeout in milliseconds, 0 for none */
    public int getSoTimeout() {
        return soTimeoutMs;
    }

    /** @return the bytes the peer sends; -1 once it closed and everything was read */
    public InputStream getInputStream() {
        return in;
    }

    /** @return the bytes to the peer; writes block while the connection's windows are full */
    public OutputStream getOutputStream() {
        return out;
    }

    /** Sends one message (message mode) or these bytes of the stream, blocking while the windows are full. */
    public void send(final byte[] message) throws IOException {
        write(Unpooled.copiedBuffer(message));
    }

    /** @return the next message (message mode) or run of bytes (stream mode), or null once the peer closed */
    public byte[] receive() throws IOException {
        final ByteBuf b = bridge.take(soTimeoutMs);
        if (b == null) {
            return null;
        }
        try {
            final byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            return a;
        } finally {
            b.release();
        }
    }

    /** @return the peer's address */
    public InetSocketAddress getRemoteSocketAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** @return the connection's statistics */
    public ConnectionStats stats() throws IOException {
        try {
            return channel.eventLoop().submit(channel::stats).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** @return why the connection ended, or null while it is open */
    public CloseReason closeReason() {
        return channel.closeReason().getNow();
    }

    /** Abortive close: unsent data is dropped and the peer is told at once. */
    public void abort() {
        channel.abort(null).awaitUninterruptibly();
        release();
    }

    /** Abort without waiting for the event loop (used when a server socket stops with unaccepted connections). */
    void abortQuietly() {
        channel.abort(null);
        release();
    }

    @Override
    public void close() throws IOException {
        final ChannelFuture pending = lastWrite;
        if (pending != null) {
            // Writes still in the channel's outbound buffer (the engine's queue was full) would fail on close.
            pending.awaitUninterruptibly(closeWaitMs);
        }
        channel.close().awaitUninterruptibly();
        channel.closeReason().awaitUninterruptibly(closeWaitMs);
        release();
    }

    private void release() {
        channel.eventLoop().execute(bridge::drain);
        synchronized (in) {
            if (current != null) {
                current.release();
                current = null;
            }
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private void write(final ByteBuf data) throws IOException {
        try {
            if (!channel.isActive()) {
                throw new IOException("connection closed");
            }
            bridge.awaitWritable(soTimeoutMs);
            final ChannelFuture f = channel.writeAndFlush(data.retain());
            lastWrite = f;
            if (f.isDone() && !f.isSuccess()) {
                throw new IOException("write failed", f.cause());
            }
        } finally {
            data.release();
        }
    }

    /** The stream view of {@link #receive}. */
    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(final byte[] b, final int off, final int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (current == null || !current.isReadable()) {
                if (current != null) {
                    current.release();
                }
                current = bridge.take(soTimeoutMs);
                if (current == null) {
                    return -1;
                }
            }
            final int n = Math.min(len, current.readableBytes());
            current.readBytes(b, off, n);
            return n;
        }
    }

    /** The stream view of {@link #send}. */
    private final class Out extends OutputStream {
        @Override
        public void write(final int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            for (int done = 0; done < len; done += MAX_WRITE_BYTES) {
                RudpSocket.this.write(Unpooled.copiedBuffer(b, off + done, Math.min(MAX_WRITE_BYTES, len - done)));
            }
        }

        @Override
        public void close() throws IOException {
            RudpSocket.this.close();
        }
    }
}
