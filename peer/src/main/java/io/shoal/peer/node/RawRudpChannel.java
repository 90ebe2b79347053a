package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpListener;
import io.shoal.rudp.netty.channel.ConversationChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One raw-profile KCP conversation (no handshake, no encryption) as a Netty channel, so the same {@link PeerSession}
 * runs on it: benchmarks use it to measure the peer over rudp without the AEAD ({@link RawRudpSocket}). Inbound
 * {@link ByteBuf}s (runs of the stream) belong to the handler; outbound writes go to the engine while it is
 * writable and otherwise wait in the outbound buffer, which drives the channel's writability as on any channel.
 * Data the shell delivers during one read batch reaches the pipeline together, in a task queued behind it.
 * Registered on the socket's event loop; every call happens there.
 */
final class RawRudpChannel extends ConversationChannel implements RawKcpListener {
    private final InetSocketAddress local;
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private RawKcpConnection connection;
    private final Runnable deliverTask = this::deliverQueued;
    private boolean deliverScheduled;

    RawRudpChannel(InetSocketAddress local) {
        super(null, "RawRudpSocket.connect");
        this.local = local;
    }

    /** Binds the conversation; once, before the channel is registered. */
    void attach(RawKcpConnection c) {
        this.connection = c;
    }

    /** The engine's counters (srtt for the request pipeline); on the event loop. */
    KcpStats stats() {
        return connection.stats();
    }

    @Override
    public boolean isActive() {
        return isOpen() && connection != null;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return connection != null && loop == connection.executor();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return connection == null ? null : connection.remoteAddress();
    }

    @Override
    protected void doClose() {
        if (!markClosed()) {
            return;
        }
        while (!inbound.isEmpty()) {
            inbound.poll().release();
        }
        connection.close();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        Object msg;
        while ((msg = in.current()) != null) {
            if (!connection.isOpen()) {
                in.remove(new ClosedChannelException());
            } else if (!connection.isWritable()) {
                return; // resumed by onWritabilityChanged
            } else {
                connection.send(((ByteBuf) msg).retain()); // takes ownership of the retained reference
                in.remove();
            }
        }
    }

    // ---- RawKcpListener (event loop) -------------------------------------------------------------------------------

    @Override
    public void onMessage(RawKcpConnection c, ByteBuf data) {
        if (!isOpen()) {
            return;
        }
        inbound.add(data.retain()); // the shell releases its reference when this returns
        // The shell hands over one segment's bytes per call; the pipeline gets the whole run of a read batch at
        // once, with one channelReadComplete, as on the secure RudpChannel.
        if (!deliverScheduled) {
            deliverScheduled = true;
            connection.executor().execute(deliverTask);
        }
    }

    private void deliverQueued() {
        deliverScheduled = false;
        deliver();
    }

    @Override
    public void onWritabilityChanged(RawKcpConnection c, boolean writable) {
        if (writable && isOpen() && isRegistered()) {
            unsafe().flush();
        }
    }

    @Override
    public void onClosed(RawKcpConnection c) {
        if (isOpen() && isRegistered()) {
            unsafe().close(voidPromise());
        } else {
            doClose();
        }
    }

    @Override
    protected ByteBuf pollInbound() {
        return inbound.poll();
    }
}
