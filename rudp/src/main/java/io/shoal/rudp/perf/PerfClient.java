package io.shoal.rudp.perf;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.crypto.AesGcmAead;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The sending side of {@code shoal perf}: opens one connection, or several at once, of the settings'
 * {@link PerfProfile} to a {@link PerfServer} (directly or through any UDP relay), streams DATA for a fixed time, and
 * turns the server's SUMMARY into a {@link PerfReport} per connection. Blocking; one instance per run.
 */
public final class PerfClient {
    /** How long the server has to answer HELLO before the run fails. */
    static final long WELCOME_TIMEOUT_MS = 3_000;
    /** How long after END the summary may take (lost segments under heavy loss are resent meanwhile). */
    static final long SUMMARY_TIMEOUT_MS = 15_000;
    /** Most connections one run opens at once. */
    public static final int MAX_PARALLEL = 64;
    private static final long SOCKET_CLOSE_MS = 5_000;

    private final InetSocketAddress server;
    private final PerfSettings settings;
    private final double seconds;
    private final double omitSeconds;
    private final int conv;
    private final Consumer<String> progress;

    /**
     * @param server the server's address, or a relay's
     * @param seconds how long to send, in seconds (fractions allowed)
     * @param conv the conversation id; any value, as long as no other client uses it from the same address
     * @param progress receives one line per second while the test runs (on the socket's event loop)
     */
    public PerfClient(InetSocketAddress server, PerfSettings settings, double seconds, int conv,
                      Consumer<String> progress) {
        this(server, settings, seconds, 0, conv, progress);
    }

    /**
     * Like the other constructor, with a warm-up: DATA flows for {@code omitSeconds} first, and neither the server's
     * count nor the RTT samples include it (iperf's {@code --omit}); the JIT and the congestion controller's
     * ramp-up happen there.
     */
    public PerfClient(InetSocketAddress server, PerfSettings settings, double seconds, double omitSeconds, int conv,
                      Consumer<String> progress) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be positive: " + seconds);
        }
        if (!(omitSeconds >= 0)) {
            throw new IllegalArgumentException("omitSeconds must be >= 0: " + omitSeconds);
        }
        this.server = server;
        this.settings = settings;
        this.seconds = seconds;
        this.omitSeconds = omitSeconds;
        this.conv = conv;
        this.progress = progress;
    }

    /** Runs the test over one connection. */
    public PerfReport run() throws PerfException, InterruptedException {
        return runParallel(1).connections().get(0);
    }

    /**
     * Runs the test over {@code connections} connections at once, each with a socket of its own (conversation ids
     * {@code conv}, {@code conv + 1}, ...), and reports each and their sum.
     */
    public PerfParallelReport runParallel(int connections) throws PerfException, InterruptedException {
        if (connections < 1 || connections > MAX_PARALLEL) {
            throw new IllegalArgumentException("connections must be in 1.." + MAX_PARALLEL + ": " + connections);
        }
        List<AutoCloseable> sockets = new ArrayList<>();
        EventLoopGroup group = null;
        try {
            List<PerfClientSession> sessions = new ArrayList<>();
            List<PerfLink> links = new ArrayList<>();
            if (settings.profile() == PerfProfile.SECURE) {
                group = new MultiThreadIoEventLoopGroup(connections, new DefaultThreadFactory("shoal-perf", true),
                    settings.transport().resolve().ioHandlerFactory());
            }
            for (int i = 0; i < connections; i++) {
                PerfClientSession session = new PerfClientSession(progress, (long) (seconds * 1e9),
                    (long) (omitSeconds * 1e9));
                sessions.add(session);
                links.add(group != null ? connectSecure(group, sockets, session) : openRaw(sockets, session, conv + i));
            }
            for (int i = 0; i < connections; i++) {
                PerfClientSession session = sessions.get(i);
                PerfLink link = links.get(i);
                link.executor().execute(() -> session.start(link));
            }
            for (PerfClientSession session : sessions) {
                await(session.welcome(), WELCOME_TIMEOUT_MS, noAnswer());
            }
            long cpuStartNs = processCpuNs();
            long runMs = (long) ((omitSeconds + seconds) * 1000);
            List<long[]> summaries = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                summaries.add(awaitSummary(sessions.get(i), links.get(i), runMs + SUMMARY_TIMEOUT_MS));
            }
            long cpuFromNs = sessions.get(0).cpuAtMarkNs() >= 0 ? sessions.get(0).cpuAtMarkNs() : cpuStartNs;
            long cpuMs = TimeUnit.NANOSECONDS.toMillis(processCpuNs() - cpuFromNs);
            List<PerfReport> reports = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                reports.add(report(links.get(i), sessions.get(i), summaries.get(i), cpuMs, conv + i));
            }
            return new PerfParallelReport(reports, cpuMs);
        } finally {
            for (AutoCloseable s : sockets) {
                closeQuietly(s);
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        }
    }

    private PerfReport report(PerfLink link, PerfClientSession session, long[] summary, long cpuMs, int id)
        throws InterruptedException {
        KcpStats stats;
        try {
            stats = link.executor().submit(() -> {
                KcpStats s = link.stats();
                link.close();
                return s;
            }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("perf connection stats", e.getCause());
        }
        RttHistogram rtt = session.rtt();
        return new PerfReport(summary[0], summary[1] / 1e9, Units.mbps(summary[0], summary[1]),
            stats.retransmits(), stats.fastRetransmits(), rtt.percentileMs(50), rtt.percentileMs(90),
            rtt.percentileMs(99), cpuMs, stats.segmentsSent(), SendLimits.of(stats), settings, id);
    }

    /**
     * Waits for one connection's SUMMARY; when it does not come, the failure says where the connection stood (END
     * sent or not, what the engine still had to send, its RTO and retransmissions), read on its loop.
     */
    private long[] awaitSummary(PerfClientSession session, PerfLink link, long timeoutMs)
        throws PerfException, InterruptedException {
        try {
            return session.summary().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PerfException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            // described below
        }
        String state;
        try {
            state = link.executor().submit(() -> session.describeEnd() + ", " + link.stats())
                .get(SOCKET_CLOSE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            state = "state unavailable: " + e;
        }
        throw new PerfException("no summary from " + describe(server) + " after the test (" + state + ")");
    }

    private PerfLink openRaw(List<AutoCloseable> sockets, PerfClientSession session, int id)
        throws InterruptedException {
        RawKcpEndpoint endpoint = RawKcpEndpoint.bind(localFor(server), settings.socketConfig().build());
        sockets.add(endpoint);
        RawPerfLink link = new RawPerfLink();
        link.bind(endpoint.open(server, id, link), session);
        return link;
    }

    /** Handshakes a secure connection; fails like a missing WELCOME when no server answers in time. */
    private PerfLink connectSecure(EventLoopGroup group, List<AutoCloseable> sockets, PerfClientSession session)
        throws PerfException, InterruptedException {
        SecurePerfLink link = new SecurePerfLink(l -> session);
        Future<RudpChannel> connecting = RudpClient.connect(group,
            settings.secureConfig(StaticIdentity.generate(new SecureRandom())), server, "perf-server", link);
        if (!connecting.await(WELCOME_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            connecting.cancel(false);
            throw new PerfException(noAnswer());
        }
        if (!connecting.isSuccess()) {
            throw new PerfException(noAnswer() + ": " + connecting.cause().getMessage());
        }
        RudpChannel channel = connecting.getNow();
        try {
            final NoiseCipher cipher = channel.eventLoop().submit(() -> channel.stats().protection().cipher()).get();
            progress.accept("secure connection up, cipher " + cipher.packetCipherName() + " negotiated"
                + (cipher == NoiseCipher.CHACHA20_POLY1305 ? "" : ", AES-GCM on " + AesGcmAead.implementation()));
        } catch (ExecutionException e) {
            throw new PerfException("secure connection: " + e.getCause().getMessage());
        }
        // Close the socket itself at the end, not only the connection: its codec then frees every engine before the
        // event loop goes away, however far the graceful close got.
        sockets.add(() -> connecting.getNow().parent().close().await(SOCKET_CLOSE_MS, TimeUnit.MILLISECONDS));
        return link;
    }

    private String noAnswer() {
        return "no answer from " + describe(server) + " within " + WELCOME_TIMEOUT_MS / 1000
            + " s (is 'shoal perf server --profile " + settings.profile().cliName() + "' running there?)";
    }

    private static InetSocketAddress localFor(InetSocketAddress server) {
        return new InetSocketAddress(server.getAddress().isLoopbackAddress() ? server.getAddress() : null, 0);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a perf socket after the run; nothing left to report
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, long timeoutMs, String timeoutMessage)
        throws PerfException, InterruptedException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PerfException(timeoutMessage);
        } catch (ExecutionException e) {
            throw new PerfException(e.getCause().getMessage());
        }
    }

    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** CPU time of the whole process, or 0 where the JVM does not report it. */
    static long processCpuNs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime());
        }
        return 0;
    }
}
