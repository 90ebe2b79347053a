package io.shoal.netem.suite;

import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.client.HttpTrackerClient;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Tracker announces through the proxies: a shoal tracker serves UDP (BEP 15) and HTTP on one port; a UDP proxy and a
 * TCP proxy sit in front of it, and {@link SuiteSize#announces()} distinct peers announce over each, alternating.
 * Integrity: every announce succeeds and the swarm it reports holds exactly the peers announced so far (nothing lost,
 * nothing counted twice). Latency: each announce's round trip, connect included where the UDP client needs one.
 * Datagram toxics act on the UDP side only; the HTTP side sees the profile's latency and bandwidth.
 */
public final class TrackerAnnounceWorkload implements Workload {
    /** BEP 15's 15 s first timeout is for the Internet; a loopback proxy answers in well under 300 ms. */
    private static final long UDP_TIMEOUT_MS = 300;
    private static final int UDP_RETRIES = 6;

    @Override
    public String id() {
        return "tracker-announce";
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int n = ctx.size().announces();
        byte[] infoHash = new byte[20];
        new SplittableRandom(ctx.seed()).nextBytes(infoHash);
        LatencySamples latency = new LatencySamples();
        long payload = 0;
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(loopback, 0));
             UdpTrackerClient udp = UdpTrackerClient.open(UDP_TIMEOUT_MS, UDP_RETRIES)) {
            InetSocketAddress udpProxy = ctx.udpProxy("tracker-udp", tracker.udpAddress());
            InetSocketAddress tcpProxy = ctx.tcpProxy("tracker-http", tracker.httpAddress());
            URI udpUrl = URI.create("udp://127.0.0.1:" + udpProxy.getPort());
            URI httpUrl = URI.create("http://127.0.0.1:" + tcpProxy.getPort() + "/announce");
            HttpTrackerClient http = new HttpTrackerClient(Duration.ofMillis(Math.min(ctx.remainingMs(), 30_000)));
            long startNs = System.nanoTime();
            for (int i = 0; i < 2 * n; i++) {
                boolean overUdp = i % 2 == 0;
                AnnounceRequest r = request(infoHash, ctx.seed(), i);
                long t0 = System.nanoTime();
                AnnounceResult result = overUdp ? udp.announce(udpUrl, r) : http.announce(httpUrl, r);
                latency.add((System.nanoTime() - t0) / 1e6);
                int swarm = result.seeders() + result.leechers();
                if (swarm != i + 1) {
                    throw new IntegrityException("announce " + (i + 1) + " over " + (overUdp ? "UDP" : "HTTP")
                        + " reported a swarm of " + swarm + " peers, expected " + (i + 1));
                }
                payload += result.peers().size();
                if (i + 1 >= 2 * n / 3) {
                    ctx.midway();
                }
            }
            return new Measurement(0, System.nanoTime() - startNs, latency, 0,
                n + " announces over UDP and " + n + " over HTTP, " + payload + " peers returned");
        }
    }

    private static AnnounceRequest request(byte[] infoHash, long seed, int i) {
        AnnounceRequest r = new AnnounceRequest();
        System.arraycopy(infoHash, 0, r.infoHash, 0, 20);
        new SplittableRandom(seed + i).nextBytes(r.peerId);
        r.port = 20_000 + i;
        r.left = 1_000_000;
        r.event = AnnounceEvent.STARTED;
        r.numwant = 50;
        return r;
    }
}
