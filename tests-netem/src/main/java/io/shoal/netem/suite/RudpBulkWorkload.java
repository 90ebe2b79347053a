package io.shoal.netem.suite;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A raw-profile KCP stream ({@code turbo} with BBR, stream mode) of {@link SuiteSize#bulkBytes()} seeded random bytes from one
 * endpoint through a UDP proxy to another. Integrity: the receiver's SHA-256 over exactly the bytes sent equals the
 * sender's. Measures goodput, the sender's wire bytes ({@code KcpStats.bytesSent}) and its smoothed RTT sampled every
 * 20 ms. The raw profile routes by (address, conv), so it cannot follow NAT rebinding: that scenario is skipped.
 */
public final class RudpBulkWorkload implements Workload {
    static final String NO_REBINDING = "the raw profile keys conversations by address and cannot follow a rebinding "
        + "(the secure profile's connection ids can: see secure-bulk and secure-interactive)";
    static final long SAMPLE_MS = 20;

    @Override
    public String id() {
        return "rudp-bulk";
    }

    @Override
    public String unsupportedReason(LinkProfile profile) {
        return profile.rebinds() ? NO_REBINDING : null;
    }

    /**
     * The engine configuration both ends use: shoal's defaults ({@code ./shoal perf}'s), turbo with BBR, which keeps
     * the bottleneck queue short. Turbo alone means KCP's nc=1 (no congestion control), which floods a rate-limited
     * link and resends most of what it queued there on timeout.
     */
    static KcpConfig kcp(boolean stream) {
        return KcpConfig.builder().mode("turbo").congestionControl(CongestionControl.BBR).stream(stream)
            .windows(1024, 1024).ackNoDelay(true).flushOnAck(true).build();
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        byte[] data = StreamDigest.payload(ctx);
        StreamDigest receiver = new StreamDigest(data.length, ctx);
        RawKcpConfig receiving = RawKcpConfig.builder().kcp(kcp(true)).acceptor(c -> (conn, bytes) ->
            receiver.accept(bytes.nioBuffer())).build();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (RawKcpEndpoint sink = RawKcpEndpoint.bind(loopback, receiving);
             RawKcpEndpoint source = RawKcpEndpoint.bind(loopback, RawKcpConfig.builder().kcp(kcp(true)).build())) {
            InetSocketAddress proxy = ctx.udpProxy("bulk", sink.localAddress());
            StreamFeeder feeder = new StreamFeeder(data);
            long startNs = System.nanoTime();
            RawKcpConnection conn = source.open(proxy, (int) ctx.seed() | 1, feeder);
            LatencySamples srtt = new LatencySamples();
            ScheduledFuture<?> sampler = source.executor().scheduleAtFixedRate(
                () -> srtt.add(conn.stats().srttMs()), SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
            feeder.start(conn);
            byte[] got = receiver.done.get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
            long elapsedNs = System.nanoTime() - startNs;
            sampler.cancel(false);
            // Read the samples and counters on the loop that wrote them.
            KcpStats stats = source.executor().submit(conn::stats).get(5, TimeUnit.SECONDS);
            LatencySamples samples = source.executor().submit(() -> srtt).get(5, TimeUnit.SECONDS);
            StreamDigest.verify(data, got);
            return measurement(data.length, elapsedNs, samples, stats, "");
        }
    }

    /** The bulk figures from the sender's engine counters; {@code extra} is appended to the detail line. */
    static Measurement measurement(long payload, long elapsedNs, LatencySamples srtt, KcpStats stats, String extra) {
        return new Measurement(payload, elapsedNs, srtt, stats.bytesSent(), "resent " + stats.retransmits()
            + " on timeout, " + stats.fastRetransmits() + " fast (" + stats.spuriousRetransmits() + " spurious) of "
            + stats.segmentsSent() + " segments; srtt " + stats.srttMs() + " ms" + extra);
    }
}
