package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * One proxied TCP connection: the accepted client socket, the socket dialled to the upstream, and a
 * {@link StreamPipe} each way. Both sockets live on the same event loop.
 */
final class TcpLink {
    private final TcpImpairmentProxy proxy;
    private final Channel client;
    private final Channel server;
    private final StreamPipe upstream;
    private final StreamPipe downstream;
    private boolean closed;

    TcpLink(TcpImpairmentProxy proxy, ToxicChain chain, Channel client, Channel server, long seed) {
        this.proxy = proxy;
        this.client = client;
        this.server = server;
        this.upstream = new StreamPipe(this, chain, ToxicStream.UPSTREAM, client, server, seed);
        this.downstream = new StreamPipe(this, chain, ToxicStream.DOWNSTREAM, server, client, ~seed);
    }

    /** Installs the forwarding handlers and starts reading both sides. */
    void start() {
        client.pipeline().addLast(new Side(upstream, downstream));
        server.pipeline().addLast(new Side(downstream, upstream));
        client.closeFuture().addListener(f -> upstream.onSourceClosed());
        server.closeFuture().addListener(f -> downstream.onSourceClosed());
        client.config().setAutoRead(true);
    }

    /** The upstream connection is up: write what waited and start reading it. */
    void upstreamConnected() {
        server.config().setAutoRead(true);
        upstream.destinationReady();
    }

    EventLoop eventLoop() {
        return client.eventLoop();
    }

    /** Re-reads the toxics (event loop). */
    void toxicsChanged() {
        upstream.sync();
        downstream.sync();
    }

    /** The pipe of {@code stream} has written everything after its source closed: close the other side. */
    void closeAfter(ToxicStream stream, long delayMs) {
        Channel target = stream == ToxicStream.UPSTREAM ? server : client;
        if (delayMs > 0) {
            target.eventLoop().schedule(() -> closeBoth(), delayMs, TimeUnit.MILLISECONDS);
        } else {
            closeBoth();
        }
    }

    /** Closes both sockets normally (FIN). */
    void close() {
        closeBoth();
    }

    /** Closes both sockets with SO_LINGER 0, so each peer gets an RST (Toxiproxy's reset_peer). */
    void reset() {
        if (closed) {
            return;
        }
        client.config().setOption(ChannelOption.SO_LINGER, 0);
        server.config().setOption(ChannelOption.SO_LINGER, 0);
        closeBoth();
    }

    private void closeBoth() {
        if (closed) {
            return;
        }
        closed = true;
        upstream.discard();
        downstream.discard();
        client.close();
        server.close();
        proxy.linkClosed(this);
    }

    /** Reads of one socket feed {@code in}; its writability gates {@code out}'s source. */
    private static final class Side extends ChannelInboundHandlerAdapter {
        private final StreamPipe in;
        private final StreamPipe out;

        Side(StreamPipe in, StreamPipe out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            in.onRead((ByteBuf) msg, System.nanoTime());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            out.onWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset from a peer closes this side; the pipes close the other
        }
    }
}
