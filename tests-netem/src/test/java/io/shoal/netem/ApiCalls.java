package io.shoal.netem;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.netem.suite.NetemApi;

import java.io.IOException;

/** Raw HTTP calls for the API extensions the typed client cannot make (datagram toxics). */
final class ApiCalls {
    private ApiCalls() {
    }

    /** POSTs {@code json} and returns the parsed answer; fails on a non-2xx status. */
    static JsonNode post(ApiServer server, String path, String json) throws IOException, InterruptedException {
        return NetemApi.post(server.baseUrl(), path, json);
    }

    /** Adds a toxic of {@code type} to {@code proxy} with the given attributes (a JSON object's inside). */
    static JsonNode addToxic(ApiServer server, String proxy, String type, String stream, String attributes)
        throws IOException, InterruptedException {
        return NetemApi.addToxic(server.baseUrl(), proxy, type, stream, attributes);
    }
}
