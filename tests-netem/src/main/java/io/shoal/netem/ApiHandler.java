package io.shoal.netem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Toxiproxy 2.x HTTP API on a Netty pipeline (after {@code HttpServerCodec} and an aggregator): every route,
 * status code and error string of Toxiproxy's {@code api.go}, JSON read whatever the Content-Type (toxiproxy-java
 * sends form-encoded), POST and PATCH both accepted for updates, and every error as
 * {@code {"error":..,"status":..}} so the Java client maps it to an {@code IOException}.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The Toxiproxy API version this server follows, marked as ours. */
    static final String VERSION = "2.12.0-shoal";
    /** The extension route's last segment: {@code /proxies/{name}/lateness}. */
    static final String LATENESS = "lateness";

    private final ProxyRegistry registry;

    ApiHandler(ProxyRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response;
        try {
            response = route(request);
        } catch (ApiException e) {
            response = error(e);
        } catch (RuntimeException e) {
            response = error(new ApiException(500, String.valueOf(e.getMessage())));
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            throw new ApiException(400, "malformed HTTP request");
        }
        String agent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
        if (agent.startsWith("Mozilla/")) {
            // As Toxiproxy: a browser page must not be able to drive the proxy (cross-site requests).
            throw new ApiException(403, "User agent not allowed");
        }
        String[] path = segments(request.uri());
        HttpMethod method = request.method();
        boolean update = method.equals(HttpMethod.POST) || method.equals(HttpMethod.PATCH);
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (path.length == 1 && path[0].equals("proxies")) {
            if (method.equals(HttpMethod.GET)) {
                ObjectNode all = ApiJson.MAPPER.createObjectNode();
                for (NetemProxy p : registry.list()) {
                    all.set(p.name(), ApiJson.proxy(p));
                }
                return json(HttpResponseStatus.OK, all);
            }
            requireMethod(method.equals(HttpMethod.POST));
            NetemProxy p = registry.create(ApiJson.proxySpec(ApiJson.parse(body)));
            return json(HttpResponseStatus.CREATED, ApiJson.proxy(p));
        }
        if (path.length == 1 && path[0].equals("populate")) {
            requireMethod(method.equals(HttpMethod.POST));
            return populate(body);
        }
        if (path.length == 1 && path[0].equals("reset")) {
            requireMethod(method.equals(HttpMethod.POST));
            registry.reset();
            return empty();
        }
        if (path.length == 1 && path[0].equals("version")) {
            requireMethod(method.equals(HttpMethod.GET));
            ObjectNode v = ApiJson.MAPPER.createObjectNode();
            v.put("version", VERSION);
            return json(HttpResponseStatus.OK, v);
        }
        if (path.length == 3 && path[0].equals("proxies") && path[2].equals(LATENESS)) {
            return latenessRoute(registry.get(path[1]), method);
        }
        if (path.length < 2 || path.length > 4 || !path[0].equals("proxies")
            || (path.length >= 3 && !path[2].equals("toxics"))) {
            throw new ApiException(404, "404 page not found");
        }
        NetemProxy proxy = registry.get(path[1]);
        if (path.length == 2) {
            return proxyRoute(proxy, method, update, body);
        }
        ToxicChain toxics = proxy.toxics();
        if (path.length == 3) {
            if (method.equals(HttpMethod.GET)) {
                return json(HttpResponseStatus.OK, ApiJson.toxics(toxics));
            }
            requireMethod(method.equals(HttpMethod.POST));
            Toxic t = ApiJson.newToxic(ApiJson.parse(body), proxy.udp(), System.nanoTime());
            toxics.add(t);
            return json(HttpResponseStatus.OK, ApiJson.toxic(t));
        }
        return toxicRoute(toxics, path[3], method, update, body);
    }

    /**
     * shoal's extension, beside Toxiproxy's routes (its clients never ask for it): GET answers the proxy's release
     * lateness ({@link ApiJson#lateness}), DELETE starts a new measurement (204).
     */
    private static FullHttpResponse latenessRoute(NetemProxy proxy, HttpMethod method) {
        if (method.equals(HttpMethod.GET)) {
            return json(HttpResponseStatus.OK, ApiJson.lateness(proxy.lateness(false)));
        }
        requireMethod(method.equals(HttpMethod.DELETE));
        proxy.lateness(true);
        return empty();
    }

    private FullHttpResponse proxyRoute(NetemProxy proxy, HttpMethod method, boolean update, String body) {
        if (method.equals(HttpMethod.GET)) {
            return json(HttpResponseStatus.OK, ApiJson.proxy(proxy));
        }
        if (method.equals(HttpMethod.DELETE)) {
            registry.delete(proxy.name());
            return empty();
        }
        requireMethod(update);
        ProxyRegistry.ProxySpec spec = ApiJson.proxySpec(ApiJson.parse(body));
        registry.update(proxy, spec);
        return json(HttpResponseStatus.OK, ApiJson.proxy(proxy));
    }

    private static FullHttpResponse toxicRoute(ToxicChain toxics, String name, HttpMethod method, boolean update,
                                               String body) {
        if (method.equals(HttpMethod.GET)) {
            return json(HttpResponseStatus.OK, ApiJson.toxic(toxics.get(name)));
        }
        if (method.equals(HttpMethod.DELETE)) {
            toxics.remove(name);
            return empty();
        }
        requireMethod(update);
        Toxic old = toxics.get(name);
        Toxic updated = ApiJson.updatedToxic(old, ApiJson.parse(body));
        toxics.replace(updated);
        return json(HttpResponseStatus.OK, ApiJson.toxic(updated));
    }

    private FullHttpResponse populate(String body) {
        JsonNode array = ApiJson.parse(body);
        if (!array.isArray()) {
            throw ApiException.badRequest("expected a JSON array of proxies");
        }
        List<ProxyRegistry.ProxySpec> specs = new ArrayList<>();
        for (JsonNode n : array) {
            specs.add(ApiJson.proxySpec(n));
        }
        List<NetemProxy> done = new ArrayList<>();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("proxies");
        try {
            registry.populate(specs, done);
        } catch (ApiException e) {
            ObjectNode err = ApiJson.error(e);
            ArrayNode partial = err.putArray("proxies");
            done.forEach(p -> partial.add(ApiJson.proxy(p)));
            return response(HttpResponseStatus.valueOf(e.status()), err, "text/plain; charset=utf-8");
        }
        done.forEach(p -> list.add(ApiJson.proxy(p)));
        return json(HttpResponseStatus.CREATED, out);
    }

    private static void requireMethod(boolean allowed) {
        if (!allowed) {
            throw new ApiException(405, "method not allowed");
        }
    }

    private static String[] segments(String uri) {
        String path = new QueryStringDecoder(uri).path();
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return parts.toArray(new String[0]);
    }

    private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        return response(status, body, "application/json; charset=utf-8");
    }

    /** Errors are written as Go's {@code http.Error} writes them: text/plain, JSON inside, a trailing newline. */
    static FullHttpResponse error(ApiException e) {
        return response(HttpResponseStatus.valueOf(e.status()), ApiJson.error(e), "text/plain; charset=utf-8");
    }

    private static FullHttpResponse response(HttpResponseStatus status, JsonNode body, String contentType) {
        ByteBuf content = Unpooled.copiedBuffer(body.toString() + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }

    private static FullHttpResponse empty() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    }
}
