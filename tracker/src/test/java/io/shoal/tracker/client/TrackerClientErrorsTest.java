package io.shoal.tracker.client;

import com.sun.net.httpserver.HttpServer;
import io.shoal.tracker.wire.AnnounceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a tracker can fail gives a clear one-line {@link TrackerException}. */
class TrackerClientErrorsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final HttpTrackerClient http = new HttpTrackerClient(Duration.ofSeconds(3));
    private HttpServer fake;

    @BeforeEach
    void startFake() throws Exception {
        fake = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        reply("/redirect/announce", 302, "", "http://169.254.169.254/");
        reply("/bomb/announce", 200, "d1:a" + "l".repeat(50_000) + "e".repeat(50_001), null);
        reply("/garbage/announce", 200, "<html>nope</html>", null);
        reply("/failure/announce", 200, "d14:failure reason11:go away nowe", null);
        reply("/huge/announce", 200, "x".repeat(HttpTrackerClient.MAX_RESPONSE_BYTES + 10), null);
        fake.start();
    }

    private void reply(String path, int status, String body, String location) {
        fake.createContext(path, ex -> {
            byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
            }
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
    }

    @AfterEach
    void stopFake() {
        fake.stop(0);
    }

    private String httpFailure(String path) {
        URI url = URI.create("http://127.0.0.1:" + fake.getAddress().getPort() + path);
        return assertThrows(TrackerException.class, () -> http.announce(url, new AnnounceRequest())).getMessage();
    }

    @Test
    void shouldExplainWhenHttpTrackerMisbehaves() {
        assertContains(httpFailure("/redirect/announce"), "redirected (HTTP 302) to http://169.254.169.254/");
        assertContains(httpFailure("/bomb/announce"), "bad bencode: nested deeper");
        assertContains(httpFailure("/garbage/announce"), "bad bencode");
        assertContains(httpFailure("/failure/announce"), "refused: go away now");
        assertContains(httpFailure("/huge/announce"), "exceeds");
        assertContains(httpFailure("/none/announce"), "HTTP 404");
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), message);
    }

    @Test
    void shouldSayUnreachableWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/announce");
        String message = assertThrows(TrackerException.class, () -> http.announce(url, new AnnounceRequest()))
            .getMessage();
        assertTrue(message.contains("unreachable"), message);
    }

    @Test
    void shouldGiveUpAfterRetriesWhenUdpTrackerIsSilent() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK);
             UdpTrackerClient udp = UdpTrackerClient.open(20, 2)) {
            URI url = URI.create("udp://127.0.0.1:" + silent.getLocalPort());
            String message = assertThrows(TrackerException.class, () -> udp.announce(url, new AnnounceRequest()))
                .getMessage();
            assertTrue(message.contains("no reply") && message.contains("after 3 attempts"), message);
        }
    }

    @Test
    void shouldRejectOtherSchemesWhenGivenTrackerUrl() {
        for (String bad : new String[] {"file:///etc/passwd", "ftp://x/announce", "gopher://x:70/"}) {
            String message = assertThrows(TrackerException.class,
                () -> http.announce(URI.create(bad), new AnnounceRequest())).getMessage();
            assertTrue(message.contains("only http, https and udp"), message);
        }
        assertThrows(TrackerException.class, () -> TrackerUrls.check(URI.create("udp://host/announce")));
    }
}
