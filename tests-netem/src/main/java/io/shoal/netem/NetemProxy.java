package io.shoal.netem;

import io.netty.channel.EventLoopGroup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * One named proxy of the API: its addresses, whether it is enabled, its toxics, and the transport that does the
 * forwarding. A proxy is UDP when its listen address carries {@code udp://}; otherwise it is TCP, as in Toxiproxy.
 * All methods but the getters run on the API thread under the registry's lock.
 */
public final class NetemProxy {
    private final String name;
    private final EventLoopGroup group;
    private final long seed;
    private final ToxicChain toxics;
    private ProxyAddress listen;
    private String listenText;
    private ProxyAddress upstream;
    private String upstreamText;
    private boolean enabled;
    private ProxyTransport transport;

    NetemProxy(String name, String listenText, String upstreamText, EventLoopGroup group, long serverSeed) {
        this.name = name;
        this.group = group;
        // Each proxy has its own random stream, fixed by the server seed and the name, so a run replays.
        this.seed = new SplittableRandom(serverSeed ^ name.hashCode() * 0x9E3779B97F4A7C15L).nextLong();
        this.toxics = new ToxicChain(this::onToxicsChanged);
        setAddresses(listenText, upstreamText);
    }

    private void setAddresses(String newListen, String newUpstream) {
        ProxyAddress l = ProxyAddress.parse(newListen, false);
        ProxyAddress u = ProxyAddress.parse(newUpstream, false);
        if (l.udp() != u.udp()) {
            throw ApiException.badRequest("listen and upstream must both start with udp:// or neither");
        }
        this.listen = l;
        this.listenText = newListen;
        this.upstream = u;
        this.upstreamText = newUpstream;
    }

    public String name() {
        return name;
    }

    /** The bound address while enabled ({@code udp://} kept), else the last one bound or requested. */
    public synchronized String listen() {
        return listenText;
    }

    public synchronized String upstream() {
        return upstreamText;
    }

    public synchronized boolean enabled() {
        return enabled;
    }

    public boolean udp() {
        return listen.udp();
    }

    ToxicChain toxics() {
        return toxics;
    }

    /** Counters of the running transport (zeros when disabled). */
    public synchronized ProxyStats stats() {
        return transport != null ? transport.stats() : new ProxyStats(ProxyStats.ZERO, ProxyStats.ZERO, 0, 0, 0);
    }

    /** The transport's release lateness ({@link ProxyTransport#lateness}); empty when disabled. */
    public synchronized LatenessSummary lateness(boolean reset) {
        return transport != null ? transport.lateness(reset) : LatenessSummary.EMPTY;
    }

    /** The transport's wake-up trace ({@link ProxyTransport#wakeups}); empty when off or disabled. */
    public synchronized String wakeups(boolean reset) {
        return transport != null ? transport.wakeups(reset) : "";
    }

    synchronized void start() {
        if (transport != null) {
            return;
        }
        ProxyTransport t = listen.udp() ? new UdpImpairmentProxy(name, group, toxics, seed)
            : new TcpImpairmentProxy(name, group, toxics, seed);
        InetSocketAddress bound = t.start(resolve(listen), upstream);
        transport = t;
        enabled = true;
        listenText = ProxyAddress.format(listen.udp(), bound);
        // Later restarts bind the same port, as Toxiproxy keeps the resolved listen address.
        listen = ProxyAddress.parse(listenText, false);
    }

    synchronized void stop() {
        enabled = false;
        if (transport != null) {
            transport.stop();
            transport = null;
        }
    }

    /** Applies a partial update; a changed address restarts the proxy, {@code enabled} starts or stops it. */
    synchronized void update(String newListen, String newUpstream, Boolean newEnabled) {
        String l = newListen != null ? newListen : listenText;
        String u = newUpstream != null ? newUpstream : upstreamText;
        boolean e = newEnabled != null ? newEnabled : enabled;
        if (l.equals(listenText) && !u.equals(upstreamText) && transport != null) {
            ProxyAddress parsed = ProxyAddress.parse(u, false);
            if (parsed.udp() != listen.udp()) {
                throw ApiException.badRequest("listen and upstream must both start with udp:// or neither");
            }
            transport.changeUpstream(parsed);
            upstream = parsed;
            upstreamText = u;
        } else if (!l.equals(listenText) || !u.equals(upstreamText)) {
            stop();
            setAddresses(l, u);
        }
        if (e) {
            start();
        } else {
            stop();
        }
    }

    /** True when {@code listenText}/{@code upstreamText} name other addresses than this proxy's (for populate). */
    synchronized boolean differsFrom(String otherListen, String otherUpstream) {
        return !otherUpstream.equals(upstreamText) || !sameListen(otherListen);
    }

    private boolean sameListen(String other) {
        if (other.equals(listenText)) {
            return true;
        }
        ProxyAddress o = ProxyAddress.parse(other, false);
        if (o.udp() != listen.udp() || (o.port() != 0 && o.port() != listen.port())) {
            return false;
        }
        // Port 0 asks for any port, so the bound one matches; the hosts must resolve to the same interface.
        InetAddress a = resolve(o).getAddress();
        InetAddress b = resolve(listen).getAddress();
        return a.equals(b) || (a.isAnyLocalAddress() && b.isAnyLocalAddress());
    }

    private void onToxicsChanged() {
        ProxyTransport t;
        synchronized (this) {
            t = transport;
        }
        if (t != null) {
            t.toxicsChanged();
        }
    }

    private static InetSocketAddress resolve(ProxyAddress address) {
        InetSocketAddress a = address.resolve();
        if (a.isUnresolved()) {
            throw new ApiException(500, "listen " + address + ": unknown host " + address.host());
        }
        return a;
    }
}
