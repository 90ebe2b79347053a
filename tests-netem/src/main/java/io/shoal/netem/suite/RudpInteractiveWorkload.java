package io.shoal.netem.suite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.RawKcpListener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interactive traffic: {@link SuiteSize#interactiveMessages()} messages of {@value #MESSAGE_BYTES} bytes, one every
 * {@value #INTERVAL_MS} ms, in KCP message mode through a UDP proxy. Each message carries its sequence number and
 * send time, and a body derived from the seed and that number; the receiver checks every byte, refuses duplicates
 * and completes when every sequence number has arrived. Latency is one-way (both ends share this process's clock).
 */
public final class RudpInteractiveWorkload implements Workload {
    static final int MESSAGE_BYTES = 200;
    static final int INTERVAL_MS = 20;
    private static final int HEADER_BYTES = Integer.BYTES + Long.BYTES;

    @Override
    public String id() {
        return "rudp-interactive";
    }

    @Override
    public String unsupportedReason(LinkProfile profile) {
        return profile.rebinds() ? RudpBulkWorkload.NO_REBINDING : null;
    }

    /** The body of message {@code seq}: seeded bytes, so the receiver can recompute it. */
    static byte[] body(long seed, int seq) {
        byte[] b = new byte[MESSAGE_BYTES - HEADER_BYTES];
        new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L)).nextBytes(b);
        return b;
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        int messages = ctx.size().interactiveMessages();
        Receiver receiver = new Receiver(ctx, messages);
        RawKcpConfig receiving = RawKcpConfig.builder().kcp(RudpBulkWorkload.kcp(false)).acceptor(c -> receiver)
            .build();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (RawKcpEndpoint sink = RawKcpEndpoint.bind(loopback, receiving);
             RawKcpEndpoint source = RawKcpEndpoint.bind(loopback,
                 RawKcpConfig.builder().kcp(RudpBulkWorkload.kcp(false)).build())) {
            InetSocketAddress proxy = ctx.udpProxy("interactive", sink.localAddress());
            RawKcpConnection conn = source.open(proxy, (int) ctx.seed() | 1, (c, data) -> { });
            long startNs = System.nanoTime();
            int[] next = new int[1];
            ScheduledFuture<?> ticker = source.executor().scheduleAtFixedRate(() -> {
                if (next[0] < messages) {
                    conn.send(message(ctx.seed(), next[0]++));
                }
            }, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
            try {
                receiver.done.get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
            } finally {
                ticker.cancel(false);
            }
            long elapsedNs = System.nanoTime() - startNs;
            KcpStats stats = source.executor().submit(conn::stats).get(5, TimeUnit.SECONDS);
            LatencySamples latency = sink.executor().submit(() -> receiver.latency).get(5, TimeUnit.SECONDS);
            long payload = (long) messages * MESSAGE_BYTES;
            return new Measurement(payload, elapsedNs, latency, stats.bytesSent(), messages + " messages, resent "
                + stats.retransmits() + " on timeout, " + stats.fastRetransmits() + " fast");
        }
    }

    private static ByteBuf message(long seed, int seq) {
        ByteBuf m = Unpooled.buffer(MESSAGE_BYTES);
        m.writeInt(seq).writeLong(System.nanoTime()).writeBytes(body(seed, seq));
        return m;
    }

    /** Checks each message on the receiving loop; completes once every sequence number arrived exactly once. */
    private static final class Receiver implements RawKcpListener {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final LatencySamples latency = new LatencySamples();
        private final ScenarioContext ctx;
        private final int messages;
        private final BitSet seen;

        Receiver(ScenarioContext ctx, int messages) {
            this.ctx = ctx;
            this.messages = messages;
            this.seen = new BitSet(messages);
        }

        @Override
        public void onMessage(RawKcpConnection connection, ByteBuf data) {
            long nowNs = System.nanoTime();
            if (data.readableBytes() != MESSAGE_BYTES) {
                fail("a message of " + data.readableBytes() + " bytes, sent " + MESSAGE_BYTES);
                return;
            }
            int seq = data.readInt();
            long sentNs = data.readLong();
            if (seq < 0 || seq >= messages) {
                fail("sequence number " + seq + " was never sent");
            } else if (seen.get(seq)) {
                fail("message " + seq + " delivered twice");
            } else if (!Arrays.equals(ByteBufUtil.getBytes(data), body(ctx.seed(), seq))) {
                fail("message " + seq + " arrived with different bytes");
            } else {
                seen.set(seq);
                latency.add((nowNs - sentNs) / 1e6);
                int arrived = seen.cardinality();
                if (arrived >= messages / 3) {
                    ctx.midway();
                }
                if (arrived == messages) {
                    done.complete(null);
                }
            }
        }

        private void fail(String what) {
            done.completeExceptionally(new IntegrityException(what));
        }
    }
}
