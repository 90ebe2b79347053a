package io.shoal.netem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed and refused API requests get Toxiproxy's status codes and the {@code {"error","status"}} shape. */
class ApiErrorsTest {
    private ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        server = ApiServer.shoal();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertError(HttpResponse<String> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = ApiJson.MAPPER.readTree(r.body());
        assertEquals(status, n.get("status").intValue(), r.body());
        assertTrue(n.get("error").textValue().startsWith(message), r.body());
    }

    @Test
    void shouldAnswerBadRequestWhenJsonIsMalformed() throws Exception {
        assertError(send("POST", "/proxies", "{\"name\": "), 400, "bad request body");
        assertError(send("POST", "/proxies", ""), 400, "bad request body");
        assertError(send("POST", "/proxies", "[1,2]"), 400, "bad request body");
        assertError(send("POST", "/proxies", "{\"name\":5,\"upstream\":\"x:1\"}"), 400, "bad request body");
        assertError(send("POST", "/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
        assertError(send("POST", "/proxies", "{\"name\":\"n\"}"), 400, "missing required field: upstream");
        assertError(send("POST", "/proxies", "{\"name\":\"n\",\"listen\":\"127.0.0.1:99999\",\"upstream\":\"x:1\"}"),
            400, "bad request body");
        assertError(send("POST", "/proxies", "{\"name\":\"n\",\"listen\":\"udp://127.0.0.1:0\",\"upstream\":\"x:1\"}"),
            400, "bad request body");
    }

    @Test
    void shouldAnswerNotFoundWhenProxyOrToxicIsUnknown() throws Exception {
        assertError(send("GET", "/proxies/nope", null), 404, "proxy not found");
        assertError(send("DELETE", "/proxies/nope", null), 404, "proxy not found");
        assertError(send("POST", "/proxies/nope/toxics", "{\"type\":\"latency\"}"), 404, "proxy not found");
        assertEquals(201, send("POST", "/proxies", "{\"name\":\"p\",\"upstream\":\"localhost:1\"}").statusCode());
        assertError(send("GET", "/proxies/p/toxics/nope", null), 404, "toxic not found");
        assertError(send("POST", "/proxies/p/toxics/nope", "{\"toxicity\":0.5}"), 404, "toxic not found");
        assertError(send("DELETE", "/proxies/p/toxics/nope", null), 404, "toxic not found");
        assertError(send("GET", "/no/such/route", null), 404, "404 page not found");
    }

    @Test
    void shouldRejectBadToxicsWithToxiproxyMessages() throws Exception {
        assertEquals(201, send("POST", "/proxies", "{\"name\":\"p\",\"upstream\":\"localhost:1\"}").statusCode());
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"nosuch\"}"), 400, "invalid toxic type");
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"duplicate\"}"), 400, "invalid toxic type");
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"), 400,
            "stream was invalid, can be either upstream or downstream");
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":\"x\"}}"),
            400, "bad request body");
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":1.5}}"),
            400, "bad request body");
        HttpResponse<String> ok = send("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"UpStream\"}");
        assertEquals(200, ok.statusCode());
        assertEquals("latency_upstream", ApiJson.MAPPER.readTree(ok.body()).get("name").textValue());
        assertError(send("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"upstream\"}"), 409,
            "toxic already exists");
    }

    @Test
    void shouldAnswerConflictAndServerErrorForDuplicateNameAndBusyPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String body = "{\"name\":\"b\",\"listen\":\"127.0.0.1:" + busy.getLocalPort() + "\",\"upstream\":\"x:1\"}";
            HttpResponse<String> r = send("POST", "/proxies", body);
            assertError(r, 500, "listen tcp 127.0.0.1:" + busy.getLocalPort() + ": bind:");
        }
        assertEquals(201, send("POST", "/proxies", "{\"name\":\"c\",\"upstream\":\"x:1\"}").statusCode());
        assertError(send("POST", "/proxies", "{\"name\":\"c\",\"upstream\":\"x:1\"}"), 409, "proxy already exists");
    }

    @Test
    void shouldRefuseBrowsersWrongMethodsAndOversizedBodies() throws Exception {
        HttpRequest browser = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/proxies"))
            .header("User-Agent", "Mozilla/5.0").GET().build();
        assertError(http.send(browser, HttpResponse.BodyHandlers.ofString()), 403, "User agent not allowed");
        assertError(send("PUT", "/proxies", "{}"), 405, "method not allowed");
        assertTooLargeBeforeBodyIsSent();
    }

    /**
     * A request announcing a body over the limit gets 413 in the error shape from its headers alone. Sending the
     * megabyte itself races with the server's close after the 413 (a broken pipe in the client on a loaded machine),
     * so the body is announced and never sent.
     */
    private void assertTooLargeBeforeBodyIsSent() throws IOException {
        URI base = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /proxies HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (NetemServer.MAX_BODY_BYTES + 1) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
            JsonNode n = ApiJson.MAPPER.readTree(reply.substring(reply.indexOf("\r\n\r\n") + 4));
            assertEquals(413, n.get("status").intValue(), reply);
            assertTrue(n.get("error").textValue().startsWith("request body too large"), reply);
        }
    }

    @Test
    void shouldPopulateIdempotentlyAndReportPartialFailures() throws Exception {
        String two = "[{\"name\":\"one\",\"upstream\":\"x:1\"},{\"name\":\"two\",\"upstream\":\"x:2\","
            + "\"enabled\":false}]";
        HttpResponse<String> first = send("POST", "/populate", two);
        assertEquals(201, first.statusCode(), first.body());
        JsonNode proxies = ApiJson.MAPPER.readTree(first.body()).get("proxies");
        assertEquals(2, proxies.size());
        String listen = proxies.get(0).get("listen").textValue();
        assertEquals(false, proxies.get(1).get("enabled").booleanValue());
        HttpResponse<String> again = send("POST", "/populate", two);
        assertEquals(listen, ApiJson.MAPPER.readTree(again.body()).get("proxies").get(0).get("listen").textValue(),
            "an unchanged proxy is kept, not restarted");
        assertError(send("POST", "/populate", "[{\"name\":\"three\",\"upstream\":\"x:3\"},{\"upstream\":\"x\"}]"), 400,
            "missing required field: name at proxy 2");
        assertError(send("GET", "/proxies/three", null), 404, "proxy not found");
    }
}
