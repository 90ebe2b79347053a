package io.shoal.netem.suite;

import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Interactive traffic over the raw profile: {@link SuiteSize#interactiveMessages()} messages of
 * {@value MessageCheck#MESSAGE_BYTES} bytes, one every {@value MessageCheck#INTERVAL_MS} ms, in KCP message mode
 * through a UDP proxy, each checked by {@link MessageCheck} (every byte, none lost, none twice; one-way latency).
 */
public final class RudpInteractiveWorkload implements Workload {
    @Override
    public String id() {
        return "rudp-interactive";
    }

    @Override
    public String unsupportedReason(LinkProfile profile) {
        return profile.rebinds() ? RudpBulkWorkload.NO_REBINDING : null;
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        int messages = ctx.size().interactiveMessages();
        MessageCheck receiver = new MessageCheck(ctx, messages);
        RawKcpConfig receiving = RawKcpConfig.builder().kcp(RudpBulkWorkload.kcp(false))
            .acceptor(c -> (conn, data) -> receiver.accept(data)).build();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (RawKcpEndpoint sink = RawKcpEndpoint.bind(loopback, receiving);
             RawKcpEndpoint source = RawKcpEndpoint.bind(loopback,
                 RawKcpConfig.builder().kcp(RudpBulkWorkload.kcp(false)).build())) {
            InetSocketAddress proxy = ctx.udpProxy("interactive", sink.localAddress());
            RawKcpConnection conn = source.open(proxy, (int) ctx.seed() | 1, (c, data) -> { });
            long startNs = System.nanoTime();
            awaitTicking(ctx, receiver, source.executor(), seq -> conn.send(MessageCheck.message(ctx.seed(), seq)));
            long elapsedNs = System.nanoTime() - startNs;
            KcpStats stats = source.executor().submit(conn::stats).get(5, TimeUnit.SECONDS);
            LatencySamples latency = sink.executor().submit(() -> receiver.latency).get(5, TimeUnit.SECONDS);
            return measurement(messages, elapsedNs, latency, stats, "");
        }
    }

    /**
     * Sends message 0, 1, ... every {@value MessageCheck#INTERVAL_MS} ms from {@code loop} until all are sent, and
     * waits until {@code receiver} has them all (or the scenario's time is up).
     */
    static void awaitTicking(ScenarioContext ctx, MessageCheck receiver, ScheduledExecutorService loop,
                             IntConsumer send) throws Exception {
        int messages = ctx.size().interactiveMessages();
        int[] next = new int[1];
        ScheduledFuture<?> ticker = loop.scheduleAtFixedRate(() -> {
            if (next[0] < messages) {
                send.accept(next[0]++);
            }
        }, 0, MessageCheck.INTERVAL_MS, TimeUnit.MILLISECONDS);
        try {
            receiver.done.get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
        } finally {
            ticker.cancel(false);
        }
    }

    /** The interactive figures from the sender's engine counters; {@code extra} is appended to the detail line. */
    static Measurement measurement(int messages, long elapsedNs, LatencySamples latency, KcpStats stats,
                                   String extra) {
        long payload = (long) messages * MessageCheck.MESSAGE_BYTES;
        return new Measurement(payload, elapsedNs, latency, stats.bytesSent(), messages + " messages, resent "
            + stats.retransmits() + " on timeout, " + stats.fastRetransmits() + " fast" + extra);
    }
}
