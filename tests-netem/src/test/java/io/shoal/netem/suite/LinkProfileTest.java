package io.shoal.netem.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.shoal.netem.NetemServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every profile's toxics are accepted by the API as written, on the right proxies, in both directions. */
class LinkProfileTest {
    @ParameterizedTest
    @EnumSource(LinkProfile.class)
    void shouldAddEveryToxicOfTheProfileThroughTheApi(LinkProfile profile) throws Exception {
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            String base = "http://127.0.0.1:" + server.apiAddress().getPort();
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
            Proxy udp = client.createProxy("u", "udp://127.0.0.1:0", "udp://127.0.0.1:9");
            Proxy tcp = client.createProxy("t", "127.0.0.1:0", "127.0.0.1:9");
            // The API lists a proxy's toxics upstream chain first, then downstream, each in the order added.
            List<String> wantUdp = new ArrayList<>();
            List<String> wantTcp = new ArrayList<>();
            List<String> wantUdpDown = new ArrayList<>();
            List<String> wantTcpDown = new ArrayList<>();
            int i = 0;
            List<ToxicSpec> all = new ArrayList<>(profile.initial());
            all.addAll(profile.midway());
            for (ToxicSpec t : all) {
                t.applyTo(udp, true, base, "x" + i);
                t.applyTo(tcp, false, base, "x" + i++);
                List<String> directions = t.bothWays() ? List.of("upstream", "downstream") : List.of("upstream");
                for (String d : directions) {
                    boolean up = d.equals("upstream");
                    (up ? wantUdp : wantUdpDown).add(t.type() + "/" + d);
                    if (t.isToxiproxyType()) {
                        (up ? wantTcp : wantTcpDown).add(t.type() + "/" + d);
                    }
                }
            }
            wantUdp.addAll(wantUdpDown);
            wantTcp.addAll(wantTcpDown);
            assertEquals(wantUdp, toxics(base, "u"));
            assertEquals(wantTcp, toxics(base, "t"));
        }
    }

    private static List<String> toxics(String base, String proxy) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(base + "/proxies/" + proxy + "/toxics")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> got = new ArrayList<>();
        for (JsonNode t : new ObjectMapper().readTree(r.body())) {
            got.add(t.get("type").asText() + "/" + t.get("stream").asText());
        }
        return got;
    }
}
