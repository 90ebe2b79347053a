package io.shoal.netem.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Raw HTTP calls to a Toxiproxy-compatible API for what the typed {@code toxiproxy-java} client cannot do: the
 * datagram toxics ({@code packet_loss}, {@code duplicate}, {@code blackout}, {@code rebind}, ...), whose types the
 * client's enum does not know. Thread-safe.
 */
public final class NetemApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetemApi() {
    }

    /** POSTs {@code json} to {@code baseUrl + path} and returns the parsed answer; throws on a non-2xx status. */
    public static JsonNode post(String baseUrl, String path, String json) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("[" + response.statusCode() + "] " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Adds a toxic of {@code type} on {@code stream} ("upstream" or "downstream") of {@code proxy};
     * {@code attributes} is the inside of a JSON object, e.g. {@code "loss_rate":0.05}.
     */
    public static JsonNode addToxic(String baseUrl, String proxy, String type, String stream, String attributes)
        throws IOException, InterruptedException {
        return post(baseUrl, "/proxies/" + proxy + "/toxics",
            "{\"type\":\"" + type + "\",\"stream\":\"" + stream + "\",\"attributes\":{" + attributes + "}}");
    }

    /** The loopback socket address of a proxy's {@code listen} as the API returns it ({@code udp://} or not). */
    public static InetSocketAddress listenAddress(String listen) {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
    }
}
