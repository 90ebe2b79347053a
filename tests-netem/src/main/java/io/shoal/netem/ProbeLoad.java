package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.shoal.rudp.netty.SegmentedDatagramWriter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The load side of {@link DelayAccuracyProbe}: a paced sender and a recording receiver, each on an event loop (and
 * thread) of its own, with the proxy's transport: with epoll the sender writes each burst of due datagrams through a
 * {@link SegmentedDatagramWriter} (with {@link Transports#SEGMENTATION_OFFLOAD} a burst of up to 64 datagrams is one
 * {@code UDP_SEGMENT} send, else one sendmmsg per burst) and the receiver reads whole {@code UDP_GRO} runs (else
 * recvmmsg batches; see {@link Transports#datagramBootstrap}), so the load costs a few system calls per burst rather
 * than per datagram. Each 64-byte datagram
 * carries its send time (nanoTime, first 8 bytes), so the sender's own lateness never counts as delay error; only the
 * rate it reaches does. Not reusable: one run per instance.
 */
final class ProbeLoad implements AutoCloseable {
    private static final int DATAGRAM_BYTES = 64;

    private final EventLoopGroup senderGroup;
    private final EventLoopGroup receiverGroup;
    private final Channel receiver;
    private final long[] errorsUs;
    private final long latencyNs;
    private volatile int received;
    private volatile long lastSentNs;

    ProbeLoad(int n, long latencyNs) {
        this.senderGroup = Transports.newGroup(1, "probe-send");
        this.receiverGroup = Transports.newGroup(1, "probe-receive");
        this.errorsUs = new long[n];
        this.latencyNs = latencyNs;
        this.receiver = Transports.datagramBootstrap(receiverGroup.next()).handler(new Recorder())
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
        // Start the sender's thread now, so that it exists to be placed (ThreadPlacement) before the run.
        senderGroup.next().submit(() -> { }).syncUninterruptibly();
    }

    int receiverPort() {
        return ((InetSocketAddress) receiver.localAddress()).getPort();
    }

    /**
     * Sends {@code errorsUs.length} datagrams to {@code target} at {@code pps}, then waits until all arrived or none
     * arrived for two seconds.
     *
     * @return the send rate reached, datagrams per second
     */
    double run(InetSocketAddress target, int pps) throws InterruptedException {
        Channel sender = Transports.datagramBootstrap(senderGroup.next()).handler(new ChannelInboundHandlerAdapter())
            .connect(target).syncUninterruptibly().channel();
        try {
            Pacer pacer = new Pacer(sender, target, pps, errorsUs.length);
            sender.eventLoop().execute(pacer);
            int seen = -1;
            long quietSinceNs = System.nanoTime();
            while (received < errorsUs.length) {
                Thread.sleep(20); // polling a counter, not waiting for a result: progress is checked each round
                if (received != seen) {
                    seen = received;
                    quietSinceNs = System.nanoTime();
                } else if (pacer.done && System.nanoTime() - quietSinceNs > TimeUnit.SECONDS.toNanos(2)) {
                    break;
                }
            }
            long elapsedNs = Math.max(1, lastSentNs - pacer.startNs);
            return errorsUs.length * 1e9 / elapsedNs;
        } finally {
            sender.close().syncUninterruptibly();
        }
    }

    /** Delay errors in microseconds of the datagrams received, sorted (a copy). */
    long[] sortedErrorsUs() {
        long[] got = Arrays.copyOf(errorsUs, received);
        Arrays.sort(got);
        return got;
    }

    @Override
    public void close() {
        receiver.close().syncUninterruptibly();
        senderGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        receiverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes every datagram due by now, flushes once, re-arms the loop's timer for the next one. */
    private final class Pacer implements Runnable {
        final Channel channel;
        final InetSocketAddress target;
        final SegmentedDatagramWriter writer = new SegmentedDatagramWriter();
        final int pps;
        final int n;
        final long startNs = System.nanoTime();
        int sent;
        volatile boolean done;

        Pacer(Channel channel, InetSocketAddress target, int pps, int n) {
            this.channel = channel;
            this.target = target;
            writer.attach(channel, Transports.SEGMENTATION_OFFLOAD);
            this.pps = pps;
            this.n = n;
        }

        @Override
        public void run() {
            long nowNs = System.nanoTime();
            int due = (int) Math.min(n, (nowNs - startNs) * pps / 1_000_000_000L + 1);
            for (; sent < due; sent++) {
                ByteBuf d = channel.alloc().directBuffer(DATAGRAM_BYTES, DATAGRAM_BYTES);
                d.writeLong(System.nanoTime()).writeZero(DATAGRAM_BYTES - Long.BYTES);
                writer.add(d, target);
            }
            writer.finish();
            channel.flush();
            lastSentNs = System.nanoTime();
            if (sent < n) {
                long nextDueNs = startNs + (long) sent * 1_000_000_000L / pps;
                channel.eventLoop().schedule(this, Math.max(0, nextDueNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                done = true;
            }
        }
    }

    /** Receive time minus send time minus the latency, per datagram. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            long nowNs = System.nanoTime();
            ByteBuf c = packet.content();
            int i = received;
            if (c.readableBytes() >= Long.BYTES && i < errorsUs.length) {
                errorsUs[i] = (nowNs - c.getLong(c.readerIndex()) - latencyNs) / 1000;
                received = i + 1;
            }
            packet.release();
        }
    }
}
