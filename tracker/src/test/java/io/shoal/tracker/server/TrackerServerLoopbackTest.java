package io.shoal.tracker.server;

import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.client.HttpTrackerClient;
import io.shoal.tracker.client.ScrapeResult;
import io.shoal.tracker.client.TrackerException;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;
import io.shoal.tracker.wire.UdpTrackerCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real server on 127.0.0.1 driven by the real clients and raw sockets. */
class TrackerServerLoopbackTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static TrackerServer server;
    private static URI udpUrl;
    private static URI httpUrl;
    private final HttpTrackerClient http = new HttpTrackerClient(Duration.ofSeconds(5));

    @BeforeAll
    static void start() throws Exception {
        server = TrackerServer.start(TrackerConfig.defaults(LOOPBACK, 0).withInterval(60));
        int port = server.udpAddress().getPort();
        assertEquals(port, server.httpAddress().getPort(), "HTTP and UDP share the port number");
        udpUrl = URI.create("udp://127.0.0.1:" + port + "/announce");
        httpUrl = URI.create("http://127.0.0.1:" + port + "/announce");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static AnnounceRequest request(int hashByte, int port, long left) {
        AnnounceRequest r = new AnnounceRequest();
        r.infoHash[0] = (byte) hashByte;
        r.peerId[0] = (byte) port;
        r.port = port;
        r.left = left;
        r.event = AnnounceEvent.STARTED;
        return r;
    }

    @Test
    void shouldSeeEachOtherWhenPeersAnnounceOverUdpAndHttp() throws Exception {
        try (UdpTrackerClient udp = UdpTrackerClient.open(1000, 3)) {
            AnnounceResult first = udp.announce(udpUrl, request(1, 7001, 10));
            assertEquals(60, first.intervalSec());
            assertEquals(List.of(), first.peers());
            AnnounceResult second = http.announce(httpUrl, request(1, 7002, 0));
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, 7001)), second.peers());
            assertEquals(LOOPBACK, second.externalIp());
            assertEquals(1, second.seeders());
            assertEquals(1, second.leechers());
            AnnounceResult third = udp.announce(udpUrl, request(1, 7001, 10));
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, 7002)), third.peers());
            List<ScrapeResult> scrape = udp.scrape(udpUrl, request(1, 0, 0).infoHash, request(2, 0, 0).infoHash);
            assertEquals(List.of(new ScrapeResult(1, 0, 1), new ScrapeResult(0, 0, 0)), scrape);
            Map<String, ScrapeResult> httpScrape = http.scrape(httpUrl, request(1, 0, 0).infoHash);
            assertEquals(Map.of(HexFormat.of().formatHex(request(1, 0, 0).infoHash), new ScrapeResult(1, 0, 1)),
                httpScrape);
        }
    }

    @Test
    void shouldPassFailureReasonToClientWhenAnnounceIsInvalid() {
        TrackerException e = assertThrows(TrackerException.class, () -> http.scrape(httpUrl));
        assertTrue(e.getMessage().contains("refused: scrape needs info_hash"), e.getMessage());
    }

    @Test
    void shouldIntroduceBothPeersWhenAskedOverUdp() throws Exception {
        try (DatagramSocket a = new DatagramSocket(0, LOOPBACK); DatagramSocket b = new DatagramSocket(0, LOOPBACK)) {
            UdpTrackerClient ca = new UdpTrackerClient(a, 1000, 3);
            UdpTrackerClient cb = new UdpTrackerClient(b, 1000, 3);
            ca.announce(udpUrl, request(3, 8001, 1));
            AnnounceResult rb = cb.announce(udpUrl, request(3, 8002, 1));
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, 8001)), rb.peers());
            InetSocketAddress bPublic = ca.introduce(udpUrl, request(3, 0, 0).infoHash, rb.peers().get(0).getPort()
                == 8001 ? new InetSocketAddress(LOOPBACK, 8002) : null, 8001);
            assertEquals(b.getLocalSocketAddress(), bPublic);
            byte[] buf = new byte[100];
            DatagramPacket notice = new DatagramPacket(buf, buf.length);
            b.setSoTimeout(5000);
            b.receive(notice);
            ByteBuffer n = ByteBuffer.wrap(buf, 0, notice.getLength());
            assertEquals(UdpTrackerCodec.ACTION_INTRODUCED, n.getInt(0));
            assertEquals(a.getLocalPort(), n.getShort(32) & 0xFFFF);
            assertEquals(server.udpAddress().getPort(), notice.getPort());
        }
    }

    @Test
    void shouldKeepServingWhenHttpRequestIsOversized() throws Exception {
        try (Socket s = new Socket(LOOPBACK, server.httpAddress().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /announce?" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 4"), status);
        }
        assertEquals(0, http.announce(httpUrl, request(4, 9000, 1)).peers().size());
        assertTrue((Long) server.stats().get("http_bad_requests") >= 1);
    }

    @Test
    void shouldRefuseHashOutsideAllowListWhenConfigured() throws Exception {
        byte[] allowed = request(5, 0, 0).infoHash;
        try (TrackerServer restricted = TrackerServer.start(
            TrackerConfig.defaults(LOOPBACK, 0).withAllowList(List.of(allowed)));
             UdpTrackerClient udp = UdpTrackerClient.open(1000, 2)) {
            URI url = URI.create("udp://127.0.0.1:" + restricted.udpAddress().getPort());
            udp.announce(url, request(5, 1, 1));
            TrackerException e = assertThrows(TrackerException.class, () -> udp.announce(url, request(6, 1, 1)));
            assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
        }
    }
}
