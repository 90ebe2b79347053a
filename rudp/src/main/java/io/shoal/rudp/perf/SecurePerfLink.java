package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpCloseEvent;
import io.shoal.rudp.session.CloseReason;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * A perf link over a secure child channel: the last handler of its pipeline, forwarding to the perf session. Writes
 * go to the channel's outbound buffer (its writability is the backpressure) and leave on {@link #flush()}.
 */
final class SecurePerfLink extends ChannelInboundHandlerAdapter implements PerfLink {
    private final PerfLink.Handler handler;
    private RudpChannel channel;

    /** @param session makes the perf session that uses this link */
    SecurePerfLink(Function<PerfLink, PerfLink.Handler> session) {
        this.handler = session.apply(this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = (RudpChannel) ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            handler.onMessage(data);
        } finally {
            data.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            handler.onWritable();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof RudpCloseEvent e && e.reason() == CloseReason.PEER_DEAD) {
            handler.onLinkDead();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handler.onClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a failed write (the connection ended under it): the close reason tells the session
    }

    @Override
    public void send(ByteBuf data) {
        channel.write(data, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public KcpStats stats() {
        return channel.stats().kcp();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public String id() {
        return "connection " + Long.toHexString(channel.connection().localConnectionId());
    }
}
