package io.shoal.netem;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP calls for the API extensions the typed client cannot make (datagram toxics). */
final class ApiCalls {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiCalls() {
    }

    /** POSTs {@code json} and returns the parsed answer; fails on a non-2xx status. */
    static JsonNode post(ApiServer server, String path, String json) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("[" + response.statusCode() + "] " + response.body());
        }
        return ApiJson.MAPPER.readTree(response.body());
    }

    /** Adds a toxic of {@code type} to {@code proxy} with the given attributes (a JSON object's inside). */
    static JsonNode addToxic(ApiServer server, String proxy, String type, String stream, String attributes)
        throws IOException, InterruptedException {
        return post(server, "/proxies/" + proxy + "/toxics",
            "{\"type\":\"" + type + "\",\"stream\":\"" + stream + "\",\"attributes\":{" + attributes + "}}");
    }
}
