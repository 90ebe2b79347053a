package io.shoal.tracker.interop;

import io.shoal.rudp.test.ExternalTool;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import io.shoal.tracker.wire.AnnounceRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * aria2c (Debian package {@code aria2}) announces to our tracker over HTTP and over UDP and gets the peers: a seeder we
 * registered is a TCP listener, and aria2c connecting to it proves it got the peer list (PEX and LPD are off, and
 * its DHT, needed for UDP trackers, has no node to ask).
 */
class Aria2InteropTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] HANDSHAKE_START = "\u0013BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"http", "udp"})
    void shouldHandAria2ThePeersWhenItAnnounces(String scheme) throws Exception {
        String aria2c = ExternalTool.require("aria2c", "aria2");
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(LOOPBACK, 0));
             ServerSocket seeder = new ServerSocket(0, 5, LOOPBACK);
             UdpTrackerClient us = UdpTrackerClient.open(500, 4)) {
            int port = tracker.udpAddress().getPort();
            String url = scheme + "://127.0.0.1:" + port + "/announce";
            TestTorrent torrent = TestTorrent.of(url, "interop.bin", "shoal interop".getBytes(StandardCharsets.UTF_8));
            Path file = dir.resolve("t.torrent");
            Files.write(file, torrent.bytes());
            AnnounceRequest announce = new AnnounceRequest();
            System.arraycopy(torrent.infoHash(), 0, announce.infoHash, 0, 20);
            announce.port = seeder.getLocalPort();
            announce.left = 0;
            us.announce(URI.create("udp://127.0.0.1:" + port), announce);

            try (ExternalTool aria = ExternalTool.start(List.of(aria2c, "--dir=" + dir.resolve("dl"),
                // aria2 sends UDP tracker requests from its DHT socket: DHT must be on for udp:// (with no
                // bootstrap nodes and a fresh routing table file it finds nobody there).
                "--enable-dht=" + scheme.equals("udp"), "--dht-file-path=" + dir.resolve("dht.dat"),
                "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                "--listen-port=" + ExternalTool.freeTcpAndUdpPort(),
                "--dht-listen-port=" + ExternalTool.freeTcpAndUdpPort(), "--summary-interval=0",
                "--console-log-level=info",
                "--bt-tracker-connect-timeout=10", "--bt-tracker-timeout=10", "--seed-time=0", file.toString()),
                dir.resolve("aria2c.log"))) {
                seeder.setSoTimeout(30_000);
                try (Socket peer = seeder.accept()) {
                    peer.setSoTimeout(10_000);
                    InputStream in = peer.getInputStream();
                    // DHT, LPD and PEX are off: the tracker is the only place aria2c can have learnt this port.
                    byte[] start = in.readNBytes(HANDSHAKE_START.length);
                    assertEquals(HANDSHAKE_START.length, start.length, "aria2c sent a handshake");
                    if (Arrays.equals(HANDSHAKE_START, start)) {
                        in.readNBytes(8); // reserved bits
                        assertTrue(Arrays.equals(torrent.infoHash(), in.readNBytes(20)), "for our torrent");
                    } // otherwise aria2c opened with an MSE (encrypted) handshake, which we do not decode here

                } catch (SocketTimeoutException e) {
                    fail("aria2c never connected to the peer the tracker listed; its log:\n" + aria.logText());
                }
                String counter = scheme.equals("http") ? "http_announces" : "udp_announces";
                long expected = scheme.equals("http") ? 1 : 2;
                assertTrue((Long) tracker.stats().get(counter) >= expected, tracker.stats().toString());
                assertEquals(2L, tracker.stats().get("peers"), "aria2c is registered beside our seeder");
            }
        }
    }
}
