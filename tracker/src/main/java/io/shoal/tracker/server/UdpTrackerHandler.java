package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.IntSupplier;

/**
 * The Netty shell of {@link UdpTrackerService}: one datagram in, the service's reply (and rendezvous notice) out.
 * Replies are written as they are produced and flushed once per read batch, so the epoll transport sends them with
 * one sendmmsg. Owns nothing but the buffers in flight.
 */
final class UdpTrackerHandler extends ChannelInboundHandlerAdapter {
    /** Room for the header and 50 IPv4 peers (the default numwant) without growing the buffer. */
    private static final int FIRST_REPLY_BYTES = 512;

    private final UdpTrackerService service;
    private final IntSupplier nowSec;

    UdpTrackerHandler(UdpTrackerService service, IntSupplier nowSec) {
        this.service = service;
        this.nowSec = nowSec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        ByteBuf reply = ctx.alloc().ioBuffer(FIRST_REPLY_BYTES, UdpTrackerService.MAX_REPLY_BYTES);
        try {
            int outcome = service.handle(packet.content(), packet.sender(), nowSec.getAsInt(), reply);
            if (outcome == UdpTrackerService.DROP) {
                return;
            }
            ctx.write(new DatagramPacket(reply.retain(), packet.sender()), ctx.voidPromise());
            if (outcome == UdpTrackerService.REPLY_AND_NOTICE) {
                ByteBuf notice = ctx.alloc().ioBuffer(FIRST_REPLY_BYTES);
                service.writeNotice(notice);
                ctx.write(new DatagramPacket(notice, endpoint(service.noticeTarget())), ctx.voidPromise());
            }
        } finally {
            reply.release();
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A send error (e.g. ICMP unreachable surfaced by the OS) concerns one client only: keep serving.
    }

    private static InetSocketAddress endpoint(long ipPort) {
        int ip = (int) (ipPort >>> 16);
        byte[] a = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), (int) ipPort & 0xFFFF);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
