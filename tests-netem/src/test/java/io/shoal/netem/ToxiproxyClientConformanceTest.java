package io.shoal.netem;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unmodified toxiproxy-java client against the server, covering every call it makes (the scenarios of the
 * client's own {@code ToxiproxyClientTest} and {@code ToxicsTest}). Upstreams point at {@code localhost:6379} with
 * nothing listening, as the client's tests do: a proxy never dials its upstream at creation.
 */
class ToxiproxyClientConformanceTest {
    private ApiServer server;
    private ToxiproxyClient client;

    @BeforeEach
    void start() throws Exception {
        server = ApiServer.selected();
        client = server.client();
    }

    @AfterEach
    void stop() {
        if (server != null) { // null when the test was skipped for want of toxiproxy-server
            server.close();
        }
    }

    @Test
    void shouldCreateGetListAndDeleteProxiesWhenDrivenByTheClient() throws IOException {
        Proxy p = client.createProxy("conf-a", "127.0.0.1:0", "localhost:6379");
        assertEquals("conf-a", p.getName());
        assertEquals("localhost:6379", p.getUpstream());
        assertTrue(p.isEnabled());
        assertTrue(p.getListen().startsWith("127.0.0.1:"));
        assertNotEquals("127.0.0.1:0", p.getListen(), "listen must come back as the port actually bound");

        client.createProxy("conf-b", "127.0.0.1:0", "localhost:6380");
        assertEquals(p.getListen(), client.getProxy("conf-a").getListen());
        List<String> names = client.getProxies().stream().map(Proxy::getName).sorted().collect(Collectors.toList());
        assertEquals(List.of("conf-a", "conf-b"), names);

        p.delete();
        assertNull(client.getProxyOrNull("conf-a"));
        IOException missing = assertThrows(IOException.class, () -> client.getProxy("conf-a"));
        assertEquals("[404] proxy not found", missing.getMessage());
    }

    @Test
    void shouldReportConflictWhenTheProxyNameIsTaken() throws IOException {
        client.createProxy("dup", "127.0.0.1:0", "localhost:6379");
        IOException e = assertThrows(IOException.class,
            () -> client.createProxy("dup", "127.0.0.1:0", "localhost:6379"));
        assertEquals("[409] proxy already exists", e.getMessage());
    }

    @Test
    void shouldStopListeningWhenDisabledAndListenAgainWhenEnabled() throws IOException {
        Proxy p = client.createProxy("toggle", "127.0.0.1:0", "localhost:6379");
        int port = ApiServer.listenAddress(p.getListen()).getPort();
        p.disable();
        assertFalse(p.isEnabled());
        assertFalse(client.getProxy("toggle").isEnabled());
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, s.getLocalPort(), "a disabled proxy must free its port");
        }
        p.enable();
        assertTrue(client.getProxy("toggle").isEnabled());
        assertEquals(p.getListen(), client.getProxy("toggle").getListen(), "re-enabling keeps the port");
    }

    @Test
    void shouldMoveTheProxyWhenListenAndUpstreamAreUpdated() throws IOException {
        Proxy p = client.createProxy("moving", "127.0.0.1:0", "localhost:6379");
        p.setUpstream("localhost:6390");
        assertEquals("localhost:6390", client.getProxy("moving").getUpstream());
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        p.setListen("127.0.0.1:" + free);
        assertEquals("127.0.0.1:" + free, client.getProxy("moving").getListen());
        assertTrue(client.getProxy("moving").isEnabled());
    }

    @Test
    void shouldRoundTripEveryToxicTypeAndSetter() throws IOException {
        Proxy p = client.createProxy("toxics", "127.0.0.1:0", "localhost:6379");
        Latency latency = p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        latency.setJitter(5).setLatency(120);
        latency.setToxicity(0.5f);
        Latency readLatency = p.toxics().get("lat", Latency.class);
        assertEquals(120, readLatency.getLatency());
        assertEquals(5, readLatency.getJitter(), "a partial attribute update must merge");
        assertEquals(0.5f, readLatency.getToxicity());

        Bandwidth bw = p.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 100);
        bw.setRate(200);
        assertEquals(ToxicDirection.UPSTREAM, bw.getStream());
        assertEquals("bw", bw.getName());
        assertEquals(1.0f, bw.getToxicity());
        assertEquals(200, p.toxics().get("bw", Bandwidth.class).getRate());

        Slicer slicer = p.toxics().slicer("slice", ToxicDirection.UPSTREAM, 10, 5);
        slicer.setAverageSize(20).setSizeVariation(3).setDelay(7);
        Slicer readSlicer = p.toxics().get("slice", Slicer.class);
        assertEquals(20, readSlicer.getAverageSize());
        assertEquals(3, readSlicer.getSizeVariation());
        assertEquals(7, readSlicer.getDelay());

        SlowClose slow = p.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 10);
        slow.setDelay(30);
        assertEquals(30, p.toxics().get("slow", SlowClose.class).getDelay());

        Timeout timeout = p.toxics().timeout("to", ToxicDirection.UPSTREAM, 1000);
        timeout.setTimeout(2000);
        assertEquals(2000, p.toxics().get("to", Timeout.class).getTimeout());

        LimitData limit = p.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 100);
        limit.setBytes(200);
        assertEquals(200, p.toxics().get("limit", LimitData.class).getBytes());

        ResetPeer reset = p.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 50);
        reset.setTimeout(60);
        assertEquals(60, p.toxics().get("rst", ResetPeer.class).getTimeout());

        // Upstream toxics first, then downstream, each in the order added.
        List<String> order = p.toxics().getAll().stream().map(Toxic::getName).collect(Collectors.toList());
        assertEquals(List.of("bw", "slice", "to", "rst", "lat", "slow", "limit"), order);

        IOException dup = assertThrows(IOException.class, () -> p.toxics().latency("lat", ToxicDirection.UPSTREAM, 1));
        assertEquals("[409] toxic already exists", dup.getMessage());

        latency.remove();
        assertThrows(IOException.class, () -> p.toxics().get("lat"));
        assertEquals(6, p.toxics().getAll().size());
    }

    @Test
    void shouldRemoveToxicsAndReEnableProxiesWhenReset() throws IOException {
        Proxy p = client.createProxy("resettable", "127.0.0.1:0", "localhost:6379");
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        p.disable();
        client.reset();
        assertTrue(p.isEnabled(), "reset refreshes the client's proxy objects from the server");
        assertTrue(client.getProxy("resettable").isEnabled());
        assertTrue(p.toxics().getAll().isEmpty());
    }

    @Test
    void shouldAnswerVersion() throws IOException {
        String v = client.version();
        assertFalse(v.isEmpty());
        if (server.isShoal()) {
            assertEquals("{\"version\":\"" + ApiHandler.VERSION + "\"}", v);
        }
    }
}
