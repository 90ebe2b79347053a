package io.shoal.netem.suite;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
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
        + "(the secure profile's connection ids can; it joins the matrix as its own workload)";
    private static final long SAMPLE_MS = 20;

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
        int total = ctx.size().bulkBytes();
        byte[] data = new byte[total];
        new SplittableRandom(ctx.seed()).nextBytes(data);
        Receiver receiver = new Receiver(total, ctx);
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
            byte[] want = MessageDigest.getInstance("SHA-256").digest(data);
            if (!Arrays.equals(want, got)) {
                throw new IntegrityException("SHA-256 differs: sent " + HexFormat.of().formatHex(want) + ", received "
                    + HexFormat.of().formatHex(got));
            }
            return new Measurement(total, elapsedNs, samples, stats.bytesSent(), "resent " + stats.retransmits()
                + " on timeout, " + stats.fastRetransmits() + " fast; srtt " + stats.srttMs() + " ms");
        }
    }

    /** Hashes what arrives on the receiving loop; completes with the digest once exactly {@code total} bytes came. */
    private static final class Receiver {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final MessageDigest digest;
        private final long total;
        private final ScenarioContext ctx;
        private long count;

        Receiver(long total, ScenarioContext ctx) throws NoSuchAlgorithmException {
            this.digest = MessageDigest.getInstance("SHA-256");
            this.total = total;
            this.ctx = ctx;
        }

        void accept(java.nio.ByteBuffer bytes) {
            count += bytes.remaining();
            digest.update(bytes);
            if (count >= total / 3) {
                ctx.midway();
            }
            if (count > total) {
                done.completeExceptionally(new IntegrityException("received " + count + " bytes, sent " + total));
            } else if (count == total) {
                done.complete(digest.digest());
            }
        }
    }
}
