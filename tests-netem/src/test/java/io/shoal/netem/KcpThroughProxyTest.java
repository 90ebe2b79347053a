package io.shoal.netem;

import eu.rekawek.toxiproxy.Proxy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.impair.LinkStats;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.RawKcpListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: a raw-profile KCP stream through a UDP proxy losing 5% each way (and 5 ms of latency) arrives intact. */
@Timeout(90)
class KcpThroughProxyTest {
    @Test
    void shouldDeliverAStreamIntactThroughFivePercentLoss() throws Exception {
        int total = 1 << 20;
        KcpConfig stream = KcpConfig.builder().mode("turbo").stream(true).windows(256, 256).ackNoDelay(true).build();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ApiServer server = ApiServer.shoal();
             RawKcpEndpoint receiver = RawKcpEndpoint.bind(loopback, RawKcpConfig.builder().kcp(stream)
                 .acceptor(c -> (conn, data) -> {
                     received.update(data.nioBuffer());
                     count[0] += data.readableBytes();
                     if (count[0] == total) {
                         done.complete(received.digest());
                     }
                 }).build());
             RawKcpEndpoint sender = RawKcpEndpoint.bind(loopback, RawKcpConfig.builder().kcp(stream).build())) {
            Proxy p = server.client().createProxy("kcp", "udp://127.0.0.1:0",
                "udp://127.0.0.1:" + receiver.localAddress().getPort());
            ApiCalls.addToxic(server, "kcp", "packet_loss", "upstream", "\"loss_rate\":0.05");
            ApiCalls.addToxic(server, "kcp", "packet_loss", "downstream", "\"loss_rate\":0.05");
            p.toxics().latency("lat", eu.rekawek.toxiproxy.model.ToxicDirection.UPSTREAM, 5);
            InetSocketAddress proxyAddress = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(p.getListen().replaceAll(".*:", "")));

            BlockingQueue<Boolean> writable = new LinkedBlockingQueue<>();
            RawKcpConnection conn = sender.open(proxyAddress, 0x5eed, new RawKcpListener() {
                @Override
                public void onMessage(RawKcpConnection c, ByteBuf data) {
                }

                @Override
                public void onWritabilityChanged(RawKcpConnection c, boolean nowWritable) {
                    writable.add(nowWritable);
                }
            });
            byte[] data = new byte[total];
            new SplittableRandom(ApiServer.SEED).nextBytes(data);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int sent = 0;
            while (sent < total) {
                if (!conn.isWritable()) {
                    writable.poll(50, TimeUnit.MILLISECONDS); // a wake-up hint; the condition is re-checked
                    assertTrue(System.nanoTime() < deadline, "sender stuck at " + sent + " bytes");
                    continue;
                }
                int n = Math.min(30_000, total - sent);
                conn.send(Unpooled.wrappedBuffer(data, sent, n));
                sent += n;
            }
            byte[] digest = done.get(60, TimeUnit.SECONDS);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest,
                "stream differs, seed " + ApiServer.SEED);
            LinkStats up = server.netem().proxies().get("kcp").stats().upstream();
            double loss = up.droppedLoss() / (double) up.offered();
            assertTrue(loss > 0.02 && loss < 0.08, "the proxy really dropped about 5%: " + up);
        }
    }
}
