package io.shoal.rudp.netty.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;

import java.net.SocketAddress;

/**
 * The Netty shell shared by channels that carry one rudp conversation over a socket they do not own (the secure
 * {@link RudpChannel}, and the peer's benchmark-only raw-profile channel): open state, configuration, no bind or
 * connect of their own, {@code ByteBuf}-only writes, and read delivery. Inbound messages wait in the subclass until a
 * read is requested; {@link #deliver()} then hands every ready one to the pipeline with one
 * {@code channelReadComplete}. All calls happen on the channel's event loop.
 */
public abstract class ConversationChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final DefaultChannelConfig config = new DefaultChannelConfig(this);
    private final String connectHint;
    /** False once closed; subclasses clear it through {@link #markClosed()}. */
    private boolean open = true;
    private boolean readRequested;
    private boolean delivering;

    /**
     * @param parent      the socket's channel, or null when the socket is not a Netty channel
     * @param connectHint what to use instead of {@code connect}, for the error a caller gets
     */
    protected ConversationChannel(final Channel parent, final String connectHint) {
        super(parent);
        this.connectHint = connectHint;
    }

    /** @return the next inbound message the handler will own, or null when none is ready */
    protected abstract ByteBuf pollInbound();

    /** Called after a delivery that handed at least one message to the pipeline (e.g. the window reopened). */
    protected void afterDelivered() {
    }

    /** Marks the channel closed; returns whether it was open. */
    protected final boolean markClosed() {
        final boolean was = open;
        open = false;
        return was;
    }

    /** Asks for delivery as if a read was requested (before the channel goes away, so nothing is left unread). */
    protected final void requestRead() {
        readRequested = true;
    }

    /** Hands every ready message to the pipeline if a read was requested. */
    protected final void deliver() {
        if (!readRequested || delivering || !open || !isRegistered()) {
            return;
        }
        delivering = true;
        boolean any = false;
        try {
            ByteBuf m;
            while (open && (m = pollInbound()) != null) {
                any = true;
                pipeline().fireChannelRead(m);
            }
        } finally {
            delivering = false;
        }
        if (any) {
            readRequested = false;
            pipeline().fireChannelReadComplete(); // with auto-read this requests the next read at once
            afterDelivered();
        }
    }

    @Override
    public final ChannelConfig config() {
        return config;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected final AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(final SocketAddress remote, final SocketAddress local, final ChannelPromise p) {
                p.setFailure(new UnsupportedOperationException("use " + connectHint));
            }
        };
    }

    @Override
    protected final void doBind(final SocketAddress localAddress) {
        throw new UnsupportedOperationException("a conversation shares its socket");
    }

    @Override
    protected final void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected final void doBeginRead() {
        readRequested = true;
        deliver();
    }

    @Override
    protected final Object filterOutboundMessage(final Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " writes ByteBufs, not "
                + msg.getClass().getSimpleName());
    }
}
