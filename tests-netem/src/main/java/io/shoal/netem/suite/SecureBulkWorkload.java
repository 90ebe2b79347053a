package io.shoal.netem.suite;

import io.shoal.rudp.kcp.KcpStats;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link RudpBulkWorkload}'s stream over the secure profile (Noise handshake, then KCP inside authenticated
 * encryption, connections found by connection id) on the Netty API, through a UDP proxy: same seeded payload, same
 * engine settings, same SHA-256 check, same figures (goodput, the client's sampled smoothed RTT, its engine's wire
 * bytes). It runs under NAT rebinding too, where it also requires the server to have followed at least one path
 * change; the sender holds at half the payload until the rebinding is in place, so it always hits the transfer.
 */
public final class SecureBulkWorkload implements Workload {
    @Override
    public String id() {
        return "secure-bulk";
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        byte[] data = StreamDigest.payload(ctx);
        StreamDigest receiver = new StreamDigest(data.length, ctx);
        ChannelFeeder feeder = new ChannelFeeder(data, ctx);
        try (SecureLink link = SecureLink.open(ctx, "secure-bulk", true,
            SecureLink.reading(b -> receiver.accept(b.nioBuffer())), feeder)) {
            long startNs = System.nanoTime();
            LatencySamples srtt = new LatencySamples();
            ScheduledFuture<?> sampler = link.client().eventLoop().scheduleAtFixedRate(() -> {
                KcpStats k = link.client().stats().kcp();
                if (k != null) {
                    srtt.add(k.srttMs());
                }
            }, RudpBulkWorkload.SAMPLE_MS, RudpBulkWorkload.SAMPLE_MS, TimeUnit.MILLISECONDS);
            feeder.start(link.client());
            byte[] got = receiver.done.get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
            long elapsedNs = System.nanoTime() - startNs;
            sampler.cancel(false);
            KcpStats stats = link.clientKcp();
            LatencySamples samples = link.client().eventLoop().submit(() -> srtt).get(5, TimeUnit.SECONDS);
            StreamDigest.verify(data, got);
            return RudpBulkWorkload.measurement(data.length, elapsedNs, samples, stats, link.pathChangesChecked(ctx));
        }
    }
}
