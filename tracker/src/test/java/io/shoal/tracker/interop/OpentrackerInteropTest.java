package io.shoal.tracker.interop;

import io.shoal.rudp.test.ExternalTool;
import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.client.HttpTrackerClient;
import io.shoal.tracker.client.ScrapeResult;
import io.shoal.tracker.client.TrackerException;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our HTTP and UDP clients against opentracker (Debian package {@code opentracker}), run as {@code nobody} (it refuses
 * to run as root without a chroot) with the allow-list file ({@code -w}) its Debian build requires.
 */
class OpentrackerInteropTest {
    private static final byte[] ALLOWED = HexFormat.of().parseHex("abababababababababababababababababababab");
    private static ExternalTool opentracker;
    private static Path dir;
    private static URI udpUrl;
    private static URI httpUrl;

    @BeforeAll
    static void start() throws Exception {
        String binary = ExternalTool.require("opentracker", "opentracker");
        dir = Files.createTempDirectory("shoal-opentracker");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path allow = dir.resolve("whitelist");
        Files.writeString(allow, HexFormat.of().formatHex(ALLOWED) + "\n");
        Files.setPosixFilePermissions(allow, PosixFilePermissions.fromString("rw-r--r--"));
        int port = ExternalTool.freeTcpAndUdpPort();
        List<String> command = new ArrayList<>();
        if (ExternalTool.isRoot()) {
            command.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        command.addAll(List.of(binary, "-i", "127.0.0.1", "-p", String.valueOf(port), "-P", String.valueOf(port),
            "-w", allow.toString()));
        opentracker = ExternalTool.start(command, dir.resolve("opentracker.log"));
        udpUrl = URI.create("udp://127.0.0.1:" + port + "/announce");
        httpUrl = URI.create("http://127.0.0.1:" + port + "/announce");
        awaitListening(port);
    }

    /** Waits (with a deadline) until opentracker accepts TCP connections. */
    private static void awaitListening(int port) throws Exception {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (java.io.IOException e) {
                if (!opentracker.isAlive() || System.nanoTime() > deadlineNs) {
                    throw new IllegalStateException("opentracker did not start:\n" + opentracker.logText(), e);
                }
                Thread.onSpinWait();
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (opentracker != null) {
            opentracker.close();
        }
    }

    private static AnnounceRequest request(int port, byte[] hash) {
        AnnounceRequest r = new AnnounceRequest();
        System.arraycopy(hash, 0, r.infoHash, 0, 20);
        r.peerId[0] = (byte) port;
        r.peerId[1] = (byte) (port >> 8);
        r.port = port;
        r.left = 100;
        r.event = AnnounceEvent.STARTED;
        return r;
    }

    @Test
    void shouldAnnounceAndScrapeWhenTalkingToOpentracker() throws Exception {
        HttpTrackerClient http = new HttpTrackerClient(Duration.ofSeconds(5));
        try (UdpTrackerClient udp = UdpTrackerClient.open(500, 4)) {
            udp.announce(udpUrl, request(20001, ALLOWED));
            AnnounceResult overHttp = http.announce(httpUrl, request(20002, ALLOWED));
            assertTrue(overHttp.peers().contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), 20001)),
                overHttp.toString());
            assertTrue(overHttp.intervalSec() > 0);
            AnnounceResult overUdp = udp.announce(udpUrl, request(20003, ALLOWED));
            assertTrue(overUdp.peers().contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), 20002)),
                overUdp.toString());
            assertEquals(3, overUdp.leechers());
            List<ScrapeResult> scrape = udp.scrape(udpUrl, ALLOWED);
            assertEquals(3, scrape.get(0).leechers());
        }
    }

    @Test
    void shouldReportRefusalWhenHashIsNotOnOpentrackersAllowList() {
        HttpTrackerClient http = new HttpTrackerClient(Duration.ofSeconds(5));
        byte[] other = new byte[20];
        TrackerException e = assertThrows(TrackerException.class, () -> http.announce(httpUrl, request(1, other)));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }
}
