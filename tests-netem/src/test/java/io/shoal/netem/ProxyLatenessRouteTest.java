package io.shoal.netem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release-lateness extension route ({@code /proxies/{name}/lateness}) on loopback: a UDP proxy with a 20 ms
 * latency toxic counts every datagram it released, none early, with bounds no scheduler can break (nothing later than
 * the whole exchange took); DELETE starts over; a TCP proxy reports nothing; the Toxiproxy client still works
 * alongside. No timing bound: a loaded machine only moves the figures.
 */
@Timeout(60)
class ProxyLatenessRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;
    private UdpPeer client;
    private UdpPeer upstream;

    @BeforeEach
    void start() throws Exception {
        server = ApiServer.shoal();
        client = new UdpPeer();
        upstream = new UdpPeer();
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
        upstream.close();
    }

    @Test
    void shouldCountEveryReleasedDatagramWhenALatencyToxicHoldsThem() throws Exception {
        List<UdpPeer.Received> received = upstream.collect(false);
        Proxy p = server.client().createProxy("udp", "udp://127.0.0.1:0", upstream.udpUrl());
        p.toxics().latency("lat", ToxicDirection.UPSTREAM, 20);
        InetSocketAddress proxyAddress = ApiServer.listenAddress(p.getListen());
        NetemProxy proxy = server.netem().proxies().get("udp");
        int n = 300;
        long firstSentNs = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.send(proxyAddress, i, 64);
            if ((i + 1) % 50 == 0) {
                long expected = i + 1;
                Await.until("proxy to read " + expected, 10_000, () -> proxy.stats().upstream().offered() >= expected);
            }
        }
        Await.until(n + " datagrams upstream", 10_000, () -> received.size() >= n);
        long spanUs = (System.nanoTime() - firstSentNs) / 1000;

        JsonNode l = get("/proxies/udp/lateness", 200);
        assertEquals(n, l.get("count").asLong(), "every released datagram counted: " + l);
        assertEquals(proxy.stats().upstream().delivered(), l.get("count").asLong());
        assertEquals(0, l.get("early").asLong(), "none released before its link model's time: " + l);
        long min = l.get("min_us").asLong();
        long p50 = l.get("p50_us").asLong();
        long p99 = l.get("p99_us").asLong();
        long max = l.get("max_us").asLong();
        assertTrue(0 <= min && min <= p50 && p50 <= p99 && p99 <= max, l.toString());
        // Sane bound without a timing assumption: no datagram can be later than the whole exchange lasted, less the
        // 20 ms every one of them waited on purpose.
        assertTrue(max <= spanUs - 20_000, "max lateness " + max + " us in an exchange of " + spanUs + " us");
        System.out.println("proxy release lateness on loopback (test JVM): " + l);

        delete("/proxies/udp/lateness");
        assertEquals(0, get("/proxies/udp/lateness", 200).get("count").asLong(), "DELETE starts a new measurement");
        assertEquals(1, server.client().getProxies().size(), "the Toxiproxy client still lists the proxy");
        assertFalse(get("/proxies/udp", 200).has("lateness"), "Toxiproxy's proxy shape is unchanged");
    }

    @Test
    void shouldReportNothingForTcpProxiesAndNotFoundForUnknownOnes() throws Exception {
        server.client().createProxy("tcp", "127.0.0.1:0", "127.0.0.1:9");
        JsonNode l = get("/proxies/tcp/lateness", 200);
        assertEquals(0, l.get("count").asLong(), l.toString());
        assertEquals("proxy not found", get("/proxies/nope/lateness", 404).get("error").asText());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/proxies/tcp/lateness"))
            .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode(), put.body());
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private JsonNode get(String path, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void delete(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
    }
}
