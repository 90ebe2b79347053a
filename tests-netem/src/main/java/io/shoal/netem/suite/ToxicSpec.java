package io.shoal.netem.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One toxic of a {@link LinkProfile}, added to both directions of a proxy. Toxiproxy's own types ({@code latency},
 * {@code bandwidth}) go through the typed {@code toxiproxy-java} client, as a user of Toxiproxy would write them; the
 * datagram toxics (loss with correlation, duplication, blackout, rebinding) through raw HTTP ({@link NetemApi}), and
 * only on UDP proxies: TCP proxies reject them, and TCP over a real network sees loss only as delay.
 *
 * @param type       the API's toxic type
 * @param attributes attribute name to value, in the API's units (ms, KB/s, rates 0..1)
 * @param bothWays   whether the downstream direction gets it too (rebinding acts on the proxy once)
 */
public record ToxicSpec(String type, Map<String, Number> attributes, boolean bothWays) {
    public ToxicSpec {
        attributes = Map.copyOf(attributes);
    }

    static ToxicSpec of(String type, Object... nameValue) {
        Map<String, Number> a = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            a.put((String) nameValue[i], (Number) nameValue[i + 1]);
        }
        return new ToxicSpec(type, a, true);
    }

    ToxicSpec once() {
        return new ToxicSpec(type, attributes, false);
    }

    /** Whether the typed client can add it (and so a TCP proxy understands it). */
    boolean isToxiproxyType() {
        return type.equals("latency") || type.equals("bandwidth");
    }

    /**
     * Adds this toxic to {@code proxy} (named {@code prefix + "-up"/"-down"}). A datagram toxic on a TCP proxy is
     * not added; returns whether anything was.
     */
    boolean applyTo(Proxy proxy, boolean udp, String baseUrl, String prefix) throws IOException, InterruptedException {
        if (!udp && !isToxiproxyType()) {
            return false;
        }
        add(proxy, baseUrl, prefix + "-up", ToxicDirection.UPSTREAM);
        if (bothWays) {
            add(proxy, baseUrl, prefix + "-down", ToxicDirection.DOWNSTREAM);
        }
        return true;
    }

    private void add(Proxy proxy, String baseUrl, String name, ToxicDirection direction)
        throws IOException, InterruptedException {
        switch (type) {
            case "latency" -> proxy.toxics().latency(name, direction, attributes.get("latency").longValue())
                .setJitter(attributes.getOrDefault("jitter", 0).longValue());
            case "bandwidth" -> proxy.toxics().bandwidth(name, direction, attributes.get("rate").longValue());
            default -> NetemApi.post(baseUrl, "/proxies/" + proxy.getName() + "/toxics", json(name, direction));
        }
    }

    private String json(String name, ToxicDirection direction) {
        StringJoiner a = new StringJoiner(",", "{", "}");
        attributes.forEach((k, v) -> a.add("\"" + k + "\":" + v));
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"stream\":\""
            + direction.name().toLowerCase(java.util.Locale.ROOT) + "\",\"attributes\":" + a + "}";
    }

    @Override
    public String toString() {
        return type + attributes;
    }
}
