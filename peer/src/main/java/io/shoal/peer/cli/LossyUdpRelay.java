package io.shoal.peer.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A small impaired UDP relay for the demo: datagrams from the one client go to {@code target}, datagrams from
 * {@code target} go back to the last client seen. Each datagram is dropped with probability {@code lossRate} and
 * otherwise delayed by {@code delayMs ± jitterMs} (uniform; jitter can reorder), from one seeded {@link Random}, so a
 * run is repeatable up to thread timing. Not a general proxy: tests-netem has the full link model.
 */
final class LossyUdpRelay implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Forwarder forwarder;

    private LossyUdpRelay(EventLoopGroup group, Channel channel, Forwarder forwarder) {
        this.group = group;
        this.channel = channel;
        this.forwarder = forwarder;
    }

    static LossyUdpRelay start(InetSocketAddress listen, InetSocketAddress target, double lossRate, long delayMs,
                               long jitterMs, long seed) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-relay", true),
            NioIoHandler.newFactory());
        Forwarder forwarder = new Forwarder(target, lossRate, TimeUnit.MILLISECONDS.toNanos(delayMs),
            TimeUnit.MILLISECONDS.toNanos(jitterMs), seed);
        try {
            Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(forwarder).bind(listen).sync().channel();
            return new LossyUdpRelay(group, ch, forwarder);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    long forwarded() {
        return forwarder.forwarded;
    }

    long dropped() {
        return forwarder.dropped;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Forwarder extends SimpleChannelInboundHandler<DatagramPacket> {
        private final InetSocketAddress target;
        private final double lossRate;
        private final long delayNs;
        private final long jitterNs;
        private final Random random;
        private final Set<DatagramPacket> delayed = Collections.newSetFromMap(new IdentityHashMap<>());
        private InetSocketAddress client;
        private volatile long forwarded;
        private volatile long dropped;

        Forwarder(InetSocketAddress target, double lossRate, long delayNs, long jitterNs, long seed) {
            this.target = target;
            this.lossRate = lossRate;
            this.delayNs = delayNs;
            this.jitterNs = jitterNs;
            this.random = new Random(seed);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress to;
            if (packet.sender().equals(target)) {
                to = client;
                if (to == null) {
                    return;
                }
            } else {
                client = packet.sender();
                to = target;
            }
            if (random.nextDouble() < lossRate) {
                dropped++;
                return;
            }
            long jitter = jitterNs == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * jitterNs);
            long wait = Math.max(0, delayNs + jitter);
            DatagramPacket out = new DatagramPacket(packet.content().retain(), to);
            forwarded++;
            if (wait == 0) {
                ctx.writeAndFlush(out, ctx.voidPromise());
                return;
            }
            delayed.add(out);
            ctx.executor().schedule(() -> {
                if (delayed.remove(out)) {
                    ctx.writeAndFlush(out, ctx.voidPromise());
                }
            }, wait, TimeUnit.NANOSECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Scheduled sends die with the event loop; release what they hold.
            for (DatagramPacket p : delayed) {
                p.release();
            }
            delayed.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A relay drops what it cannot send, like a network would.
        }
    }
}
