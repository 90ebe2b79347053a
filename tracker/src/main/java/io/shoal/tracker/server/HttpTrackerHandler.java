package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.function.IntSupplier;

/**
 * The Netty shell of {@link HttpTrackerService} for one connection: GET requests in (bodies ignored), bencoded
 * replies out, keep-alive and pipelining honoured, flushed once per read batch. A request the HTTP decoder rejects
 * (line or headers too long, garbage) gets a 400 and the connection is closed; so does an idle connection.
 */
final class HttpTrackerHandler extends ChannelInboundHandlerAdapter {
    private final HttpTrackerService service;
    private final TrackerStats stats;
    private final IntSupplier nowSec;

    HttpTrackerHandler(HttpTrackerService service, TrackerStats stats, IntSupplier nowSec) {
        this.service = service;
        this.stats = stats;
        this.nowSec = nowSec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                respond(ctx, (HttpRequest) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            stats.httpBadRequests++;
            send(ctx, HttpResponseStatus.BAD_REQUEST, ctx.alloc().buffer(0), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!HttpMethod.GET.equals(request.method())) {
            stats.httpBadRequests++;
            send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, ctx.alloc().buffer(0), keepAlive);
            return;
        }
        ByteBuf body = ctx.alloc().buffer(256);
        int status;
        try {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            status = service.handle(request.uri(), remote.getAddress(), nowSec.getAsInt(), body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        send(ctx, status == HttpTrackerService.OK ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND, body,
            keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (keepAlive) {
            // An HTTP/1.0 client that asked for keep-alive only keeps the connection if told so.
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(response, ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or broken connection concerns this client only.
        ctx.close();
    }
}
