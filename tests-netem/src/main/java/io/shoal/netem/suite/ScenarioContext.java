package io.shoal.netem.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.shoal.netem.NetemServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link Workload} gets for one scenario: a fresh impairment proxy server, driven through its Toxiproxy API by
 * the stock client; every proxy the workload asks for gets the profile's toxics before it is returned. Workloads call
 * {@link #midway()} when a third of their traffic has arrived, which adds the profile's mid-transfer toxics (blackout,
 * rebinding) on a thread of the context's own, so it may be called from an event loop.
 */
public final class ScenarioContext implements AutoCloseable {
    private record Created(Proxy proxy, boolean udp) {
    }

    private final NetemServer server;
    private final ToxiproxyClient client;
    private final String baseUrl;
    private final LinkProfile profile;
    private final SuiteSize size;
    private final long seed;
    private final long deadlineNs;
    private final List<Created> proxies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean midwayStarted = new AtomicBoolean();
    private final CompletableFuture<Void> midwayDone = new CompletableFuture<>();
    private final ExecutorService toxicThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netem-suite-toxics");
        t.setDaemon(true);
        return t;
    });
    private volatile Exception midwayFailure;
    private volatile long midwayAtNs;

    ScenarioContext(NetemServer server, LinkProfile profile, SuiteSize size, long seed, long deadlineNs) {
        this.server = server;
        InetSocketAddress api = server.apiAddress();
        this.client = new ToxiproxyClient(api.getHostString(), api.getPort());
        this.baseUrl = "http://" + api.getHostString() + ":" + api.getPort();
        this.profile = profile;
        this.size = size;
        this.seed = seed;
        this.deadlineNs = deadlineNs;
    }

    public LinkProfile profile() {
        return profile;
    }

    public SuiteSize size() {
        return size;
    }

    /** The scenario's seed (the proxy server uses it too). */
    public long seed() {
        return seed;
    }

    /** Milliseconds left before the scenario's time limit (at least 1). */
    public long remainingMs() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
    }

    /** A UDP proxy in front of {@code upstream} with the profile's toxics; returns the address to send to. */
    public InetSocketAddress udpProxy(String name, InetSocketAddress upstream) throws IOException,
        InterruptedException {
        return create(name, "udp://127.0.0.1:0", "udp://127.0.0.1:" + upstream.getPort(), true);
    }

    /** A TCP proxy in front of {@code upstream} with the profile's Toxiproxy-type toxics (latency, bandwidth). */
    public InetSocketAddress tcpProxy(String name, InetSocketAddress upstream) throws IOException,
        InterruptedException {
        return create(name, "127.0.0.1:0", "127.0.0.1:" + upstream.getPort(), false);
    }

    private InetSocketAddress create(String name, String listen, String upstream, boolean udp)
        throws IOException, InterruptedException {
        Proxy p = client.createProxy(name, listen, upstream);
        int i = 0;
        for (ToxicSpec t : profile.initial()) {
            t.applyTo(p, udp, baseUrl, name + "-" + t.type() + "-" + i++);
        }
        proxies.add(new Created(p, udp));
        return NetemApi.listenAddress(p.getListen());
    }

    /** Adds the profile's mid-transfer toxics to every proxy, once; returns at once. Safe from any thread. */
    public void midway() {
        if (profile.midway().isEmpty() || !midwayStarted.compareAndSet(false, true)) {
            return;
        }
        toxicThread.execute(() -> {
            try {
                int i = 0;
                for (Created c : proxies) {
                    for (ToxicSpec t : profile.midway()) {
                        t.applyTo(c.proxy(), c.udp(), baseUrl, c.proxy().getName() + "-mid-" + t.type() + "-" + i++);
                    }
                }
                midwayAtNs = System.nanoTime();
            } catch (IOException | InterruptedException | RuntimeException e) {
                midwayFailure = e;
            } finally {
                // Released even on failure, so a held sender finishes; midwayProblem() reports the failure.
                midwayDone.complete(null);
            }
        });
    }

    /**
     * Completes (on the toxics thread) once {@link #midway()}'s toxics are in place or failed to be added; already
     * complete when the profile has no mid-transfer toxics. A sender that holds its traffic until then is sure its
     * remaining traffic meets them (see {@link MidwayGate}).
     */
    public CompletionStage<Void> midwayDone() {
        if (profile.midway().isEmpty()) {
            midwayDone.complete(null);
        }
        return midwayDone;
    }

    /** The proxy server (its {@code proxies()} carry per-direction counters). */
    public NetemServer server() {
        return server;
    }

    /**
     * Waits for the mid-transfer toxics to be in place and returns why they could not be added, or null. A
     * profile with mid-transfer toxics whose workload never reached a third is reported as such.
     */
    String midwayProblem() throws InterruptedException {
        toxicThread.shutdown();
        toxicThread.awaitTermination(10, TimeUnit.SECONDS);
        if (profile.midway().isEmpty()) {
            return null;
        }
        if (!midwayStarted.get()) {
            return "the workload never signalled its midpoint, so " + profile.midway() + " was not applied";
        }
        Exception e = midwayFailure;
        if (e != null) {
            return "adding " + profile.midway() + " failed: " + e;
        }
        return midwayAtNs == 0 ? "mid-transfer toxics did not finish in 10 s" : null;
    }

    @Override
    public void close() {
        toxicThread.shutdownNow();
        server.close();
    }
}
