package io.shoal.rudp.netty.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shoal.rudp.kcp.SendResult;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.ConnectionStats;
import io.shoal.rudp.session.SecureConnection;

import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One secure rudp connection as a Netty {@link Channel}: a child of the socket's {@code DatagramChannel}, on the
 * same event loop, with its own pipeline. Inbound messages are {@link ByteBuf}s the handler owns: whole messages in
 * message mode, runs of the byte stream in stream mode. Outbound it takes {@code ByteBuf}s (one message each in
 * message mode); a write completes when the engine has queued the bytes, and the engine may keep sharing a written
 * buffer's memory (retained slices) until the peer acknowledges it, so a writer never changes the bytes of a buffer
 * it wrote, even after the write completed (Netty's ownership rule: a written buffer is the transport's). When the
 * engine's send queue is full, writes wait in the outbound buffer, which makes {@link #isWritable()} false past the
 * high-water mark and fires {@code channelWritabilityChanged}; they resume when the engine drains.
 *
 * <p>{@link #close()} is a graceful close: data the engine has taken (completed writes) is delivered, then CLOSE is
 * exchanged, in the background; writes still waiting in the outbound buffer fail, as on any Netty channel, so close
 * after the last write's future completes (or in its listener);
 * {@link #abort(String)} an abortive one. Before the channel goes inactive because the connection ended, data that
 * had arrived is delivered and a {@link RudpCloseEvent} is fired as a user event; {@link #closeReason()} completes
 * once the connection has really ended, however it was closed.
 */
public final class RudpChannel extends ConversationChannel {
    private final RudpCodec codec;
    private final SecureConnection connection;
    private final Promise<RudpChannel> connectPromise;
    private final Promise<CloseReason> closeReason;
    /** Established and not yet closed by the channel; kept here so close fires channelInactive. */
    private boolean active;

    RudpChannel(final Channel parent, final RudpCodec codec, final SecureConnection connection,
                final Promise<RudpChannel> connectPromise) {
        super(parent, "RudpCodec.connect or RudpClient.connect");
        this.codec = codec;
        this.connection = connection;
        this.connectPromise = connectPromise;
        this.closeReason = parent.eventLoop().newPromise();
        this.active = connection.state() == SecureConnection.State.ESTABLISHED;
    }

    /** @return the session connection (use on the event loop only) */
    public SecureConnection connection() {
        return connection;
    }

    /** @return completes with why the connection ended, once it has */
    public Future<CloseReason> closeReason() {
        return closeReason;
    }

    /** @return the connection's statistics; call on the event loop */
    public ConnectionStats stats() {
        return connection.stats();
    }

    /** Abortive close: drops queued data, tells the peer with one CLOSE, and closes the channel. */
    public Future<Void> abort(final String reason) {
        final ChannelPromise p = newPromise();
        eventLoop().execute(() -> {
            connection.abort(codec.nowNs(), reason);
            codec.childChanged();
            close(p);
        });
        return p;
    }

    @Override
    public boolean isActive() {
        return isOpen() && active;
    }

    @Override
    protected boolean isCompatible(final EventLoop loop) {
        return loop == parent().eventLoop();
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return connection.remoteAddress();
    }

    @Override
    protected void doClose() {
        if (!markClosed()) {
            return;
        }
        active = false;
        if (connection.state() != SecureConnection.State.CLOSED) {
            connection.close(codec.nowNs(), null);
            codec.childChanged();
        }
    }

    @Override
    protected void doWrite(final ChannelOutboundBuffer in) throws Exception {
        boolean wrote = false;
        Object msg;
        while ((msg = in.current()) != null) {
            if (!(msg instanceof ByteBuf buf)) {
                in.remove(new UnsupportedOperationException("RudpChannel writes ByteBufs, not "
                        + msg.getClass().getSimpleName()));
                continue;
            }
            if (connection.state() != SecureConnection.State.ESTABLISHED) {
                in.remove(new ClosedChannelException());
                continue;
            }
            if (!connection.isWritable()) {
                break; // the engine's queue is full: wait for its WRITABLE event
            }
            final SendResult r = connection.send(codec.nowNs(), buf.retain());
            wrote = true;
            if (r == SendResult.QUEUED) {
                in.remove();
            } else {
                in.remove(new RudpWriteException(r));
            }
        }
        if (wrote) {
            codec.childChanged();
        }
    }

    void onEstablished() {
        if (connectPromise != null) {
            active = true;
            pipeline().fireChannelActive();
            connectPromise.trySuccess(this);
        }
    }

    void onReadable() {
        deliver();
    }

    void onWritable() {
        if (isRegistered() && isOpen()) {
            unsafe().flush();
        }
    }

    void onConnectionClosed(final CloseReason reason) {
        if (connectPromise != null && !connectPromise.isDone()) {
            final String why = connection.handshakeFailureReason();
            connectPromise.tryFailure(new RudpHandshakeException(connection.handshakeFailure(),
                    "connection closed before it was established: " + reason + (why == null ? "" : ": " + why)));
        }
        if (isOpen() && isRegistered()) {
            requestRead();
            deliver();
            pipeline().fireUserEventTriggered(new RudpCloseEvent(reason, connection.peerCloseText()));
        }
        closeReason.trySuccess(reason);
        if (isOpen() && isRegistered()) {
            unsafe().close(voidPromise());
        } else {
            markClosed();
        }
    }

    @Override
    protected ByteBuf pollInbound() {
        return connection.pollMessage();
    }

    @Override
    protected void afterDelivered() {
        codec.childChanged(); // reading reopened the receive window
    }
}
