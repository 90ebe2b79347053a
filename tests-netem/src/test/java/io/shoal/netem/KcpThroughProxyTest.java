package io.shoal.netem;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.shoal.netem.suite.StreamFeeder;
import io.shoal.rudp.impair.LinkStats;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: a raw-profile KCP stream through a UDP proxy losing 5% each way (and 5 ms of latency) arrives intact. */
@Timeout(90)
class KcpThroughProxyTest {
    private static final int TOTAL = 1 << 20;

    @Test
    void shouldDeliverAStreamIntactThroughFivePercentLoss() throws Exception {
        KcpConfig stream = KcpConfig.builder().mode("turbo").stream(true).windows(256, 256).ackNoDelay(true).build();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        RawKcpConfig receiving = RawKcpConfig.builder().kcp(stream).acceptor(c -> (conn, data) -> {
            digest.update(data.nioBuffer());
            count[0] += data.readableBytes();
            if (count[0] == TOTAL) {
                done.complete(digest.digest());
            }
        }).build();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        byte[] data = new byte[TOTAL];
        new SplittableRandom(ApiServer.SEED).nextBytes(data);
        try (ApiServer server = ApiServer.shoal();
             RawKcpEndpoint receiver = RawKcpEndpoint.bind(loopback, receiving);
             RawKcpEndpoint sender = RawKcpEndpoint.bind(loopback, RawKcpConfig.builder().kcp(stream).build())) {
            Proxy p = server.client().createProxy("kcp", "udp://127.0.0.1:0",
                "udp://127.0.0.1:" + receiver.localAddress().getPort());
            ApiCalls.addToxic(server, "kcp", "packet_loss", "upstream", "\"loss_rate\":0.05");
            ApiCalls.addToxic(server, "kcp", "packet_loss", "downstream", "\"loss_rate\":0.05");
            p.toxics().latency("lat", ToxicDirection.UPSTREAM, 5);

            StreamFeeder feeder = new StreamFeeder(data);
            feeder.start(sender.open(ApiServer.listenAddress(p.getListen()), 0x5eed, feeder));
            byte[] got = done.get(60, TimeUnit.SECONDS);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), got,
                "stream differs, seed " + ApiServer.SEED);
            LinkStats up = server.netem().proxies().get("kcp").stats().upstream();
            double loss = up.droppedLoss() / (double) up.offered();
            assertTrue(loss > 0.02 && loss < 0.08, "the proxy really dropped about 5%: " + up);
        }
    }
}
