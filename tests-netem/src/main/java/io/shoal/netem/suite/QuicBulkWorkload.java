package io.shoal.netem.suite;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The bulk workload over QUIC, for comparison through the same proxy (report only, like {@link KcptunBulkWorkload}):
 * {@link SuiteSize#bulkBytes()} seeded bytes on one stream from a Netty QUIC client through a UDP proxy to a Netty
 * QUIC server ({@link QuicBulkTransfer}: quiche with BBR, TLS 1.3). Integrity: the server's SHA-256 of exactly that
 * many bytes equals the payload's. Goodput from the stream's first write to the server's last byte. Skipped, with the
 * reason, where Netty's native QUIC library does not load.
 */
public final class QuicBulkWorkload implements Workload {
    private final String unavailable = QuicBulkTransfer.unavailableReason();

    @Override
    public String id() {
        return "quic-bulk";
    }

    @Override
    public String unsupportedReason(LinkProfile profile) {
        return unavailable;
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        int total = ctx.size().bulkBytes();
        byte[] data = new byte[total];
        new SplittableRandom(ctx.seed()).nextBytes(data);
        try (QuicBulkTransfer transfer = new QuicBulkTransfer(total, ctx::midway)) {
            InetSocketAddress proxy = ctx.udpProxy("quic", transfer.serverAddress());
            QuicBulkTransfer.Result r = transfer.run(proxy, data, ctx.remainingMs());
            if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(data), r.sha256())) {
                throw new IntegrityException("SHA-256 at the QUIC server differs from the client's payload");
            }
            return new Measurement(total, r.elapsedNs(), new LatencySamples(), r.clientSentBytes(),
                String.format(Locale.ROOT, "quiche BBR, TLS 1.3; client lost %d packets; wire bytes include "
                    + "QUIC and TLS headers", r.clientLostPackets()));
        }
    }
}
