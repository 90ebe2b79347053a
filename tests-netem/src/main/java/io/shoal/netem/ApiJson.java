package io.shoal.netem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The JSON shapes of the Toxiproxy 2.x API: proxies and toxics out, create and update requests in. Parsing is
 * strict about types (a string where a number belongs is a 400, as Go's decoder makes it) and ignores unknown fields
 * (as Go's decoder does).
 */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    /** Parses a request body; 400 {@code bad request body} when it is empty or not JSON. */
    static JsonNode parse(String body) {
        if (body.isBlank()) {
            throw ApiException.badRequest("EOF");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(e.getOriginalMessage());
        }
    }

    static ObjectNode error(ApiException e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("error", e.getMessage());
        n.put("status", e.status());
        return n;
    }

    static ObjectNode proxy(NetemProxy p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", p.name());
        n.put("listen", p.listen());
        n.put("upstream", p.upstream());
        n.put("enabled", p.enabled());
        n.set("toxics", toxics(p.toxics()));
        return n;
    }

    /** A proxy's release lateness (the shoal extension route {@code /proxies/{name}/lateness}), microseconds. */
    static ObjectNode lateness(LatenessSummary l) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("count", l.count());
        n.put("early", l.early());
        n.put("min_us", l.minUs());
        n.put("p50_us", l.p50Us());
        n.put("p90_us", l.p90Us());
        n.put("p99_us", l.p99Us());
        n.put("p999_us", l.p999Us());
        n.put("max_us", l.maxUs());
        n.put("mean_us", l.meanUs());
        return n;
    }

    static ArrayNode toxics(ToxicChain chain) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Toxic t : chain.list()) {
            a.add(toxic(t));
        }
        return a;
    }

    /** A toxic with every attribute of its type: toxiproxy-java fails on a missing one. */
    static ObjectNode toxic(Toxic t) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode attributes = n.putObject("attributes");
        for (int i = 0; i < t.type().attributes().size(); i++) {
            ToxicType.Attr a = t.type().attributes().get(i);
            if (a.integer()) {
                attributes.put(a.name(), (long) t.values()[i]);
            } else {
                attributes.put(a.name(), t.values()[i]);
            }
        }
        n.put("name", t.name());
        n.put("type", t.type().jsonName());
        n.put("stream", t.stream().jsonName());
        n.put("toxicity", (float) t.toxicity());
        return n;
    }

    static ProxyRegistry.ProxySpec proxySpec(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("expected a JSON object");
        }
        Boolean enabled = null;
        JsonNode e = body.get("enabled");
        if (e != null && !e.isNull()) {
            if (!e.isBoolean()) {
                throw ApiException.badRequest("enabled must be a boolean");
            }
            enabled = e.booleanValue();
        }
        return new ProxyRegistry.ProxySpec(text(body, "name"), text(body, "listen"), text(body, "upstream"), enabled);
    }

    /** A new toxic from a create request, with Toxiproxy's defaults; {@code udp} allows the datagram types. */
    static Toxic newToxic(JsonNode body, boolean udp, long nowNs) {
        if (!body.isObject()) {
            throw ApiException.badRequest("expected a JSON object");
        }
        String streamText = text(body, "stream");
        ToxicStream stream = streamText == null || streamText.isEmpty() ? ToxicStream.DOWNSTREAM
            : ToxicStream.parse(streamText);
        if (stream == null) {
            throw new ApiException(400, "stream was invalid, can be either upstream or downstream");
        }
        String typeText = text(body, "type");
        ToxicType type = typeText == null ? null : ToxicType.parse(typeText);
        if (type == null || (!udp && !type.worksOnTcp())) {
            throw new ApiException(400, "invalid toxic type");
        }
        String name = text(body, "name");
        if (name == null || name.isEmpty()) {
            name = type.jsonName() + "_" + stream.jsonName();
        }
        double toxicity = number(body, "toxicity", 1.0);
        double[] values = type.defaults();
        mergeAttributes(type, body.get("attributes"), values);
        return new Toxic(name, type, stream, toxicity, values, nowNs);
    }

    /** {@code old} with the body's attributes merged in and its toxicity if given; name, type, stream ignored. */
    static Toxic updatedToxic(Toxic old, JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("expected a JSON object");
        }
        double toxicity = number(body, "toxicity", old.toxicity());
        double[] values = old.values().clone();
        mergeAttributes(old.type(), body.get("attributes"), values);
        return old.with(toxicity, values);
    }

    private static void mergeAttributes(ToxicType type, JsonNode attributes, double[] values) {
        if (attributes == null || attributes.isNull()) {
            return;
        }
        if (!attributes.isObject()) {
            throw ApiException.badRequest("attributes must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            int i = type.indexOf(field.getKey());
            if (i < 0) {
                continue;
            }
            ToxicType.Attr a = type.attributes().get(i);
            JsonNode v = field.getValue();
            if (!v.isNumber() || (a.integer() && !v.canConvertToExactIntegral())) {
                throw ApiException.badRequest(a.name() + " must be " + (a.integer() ? "an integer" : "a number"));
            }
            double d = v.doubleValue();
            if (!a.integer() && !(d >= 0.0 && d <= 1.0)) {
                throw ApiException.badRequest(a.name() + " must be in [0, 1]");
            }
            values[i] = a.integer() ? v.longValue() : d;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return n.textValue();
    }

    private static double number(JsonNode body, String field, double absent) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(field + " must be a number");
        }
        return n.doubleValue();
    }
}
