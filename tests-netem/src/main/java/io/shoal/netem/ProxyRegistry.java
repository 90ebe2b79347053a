package io.shoal.netem;

import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxies of one server by name, with Toxiproxy's collection semantics (create, update, delete, reset,
 * populate). Every method takes this object's lock, so API requests apply one at a time; the data path never does.
 */
public final class ProxyRegistry {
    /** A proxy as given in a create or populate request; null fields were absent. */
    record ProxySpec(String name, String listen, String upstream, Boolean enabled) {
    }

    private final Map<String, NetemProxy> proxies = new LinkedHashMap<>();
    private final EventLoopGroup group;
    private final long seed;

    ProxyRegistry(EventLoopGroup group, long seed) {
        this.group = group;
        this.seed = seed;
    }

    /** Every proxy, in creation order. */
    public synchronized List<NetemProxy> list() {
        return new ArrayList<>(proxies.values());
    }

    /** The proxy called {@code name}; 404 when there is none. */
    public synchronized NetemProxy get(String name) {
        NetemProxy p = proxies.get(name);
        if (p == null) {
            throw ApiException.proxyNotFound();
        }
        return p;
    }

    /** Creates and (unless {@code enabled} is false) starts a proxy; 409 if the name is taken, 500 if bind fails. */
    public synchronized NetemProxy create(ProxySpec spec) {
        validate(spec, "");
        if (proxies.containsKey(spec.name())) {
            throw new ApiException(409, "proxy already exists");
        }
        NetemProxy p = newProxy(spec);
        proxies.put(p.name(), p);
        return p;
    }

    private NetemProxy newProxy(ProxySpec spec) {
        NetemProxy p = new NetemProxy(spec.name(), spec.listen() == null ? "" : spec.listen(), spec.upstream(), group,
            seed);
        if (spec.enabled() == null || spec.enabled()) {
            p.start();
        }
        return p;
    }

    /** Applies a partial update to {@code proxy}: absent fields keep their values. */
    synchronized void update(NetemProxy proxy, ProxySpec spec) {
        proxy.update(spec.listen(), spec.upstream(), spec.enabled());
    }

    synchronized void delete(String name) {
        get(name).stop();
        proxies.remove(name);
    }

    /** Re-enables every proxy and removes every toxic; proxies stay. */
    synchronized void reset() {
        for (NetemProxy p : proxies.values()) {
            p.toxics().clear();
            p.start();
        }
    }

    /**
     * Creates or replaces the given proxies, all validated first. A proxy whose listen and upstream are unchanged is
     * left alone, so populating twice is harmless. On a failure the proxies done so far are kept and reported.
     */
    synchronized List<NetemProxy> populate(List<ProxySpec> specs, List<NetemProxy> done) {
        for (int i = 0; i < specs.size(); i++) {
            validate(specs.get(i), " at proxy " + (i + 1));
        }
        for (ProxySpec spec : specs) {
            NetemProxy existing = proxies.get(spec.name());
            String listen = spec.listen() == null ? "" : spec.listen();
            if (existing != null && !existing.differsFrom(listen, spec.upstream())) {
                done.add(existing);
                continue;
            }
            if (existing != null) {
                existing.stop();
                proxies.remove(spec.name());
            }
            NetemProxy p = newProxy(spec);
            proxies.put(p.name(), p);
            done.add(p);
        }
        return done;
    }

    /** Stops every proxy (server shutdown). */
    synchronized void closeAll() {
        for (NetemProxy p : proxies.values()) {
            p.stop();
        }
        proxies.clear();
    }

    private static void validate(ProxySpec spec, String where) {
        if (spec.name() == null || spec.name().isEmpty()) {
            throw new ApiException(400, "missing required field: name" + where);
        }
        if (spec.upstream() == null || spec.upstream().isEmpty()) {
            throw new ApiException(400, "missing required field: upstream" + where);
        }
    }
}
