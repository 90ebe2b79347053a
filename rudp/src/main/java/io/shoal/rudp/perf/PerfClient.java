package io.shoal.rudp.perf;

import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The sending side of {@code shoal perf}: opens one raw KCP conversation to a {@link PerfServer} (directly or
 * through any UDP relay), streams DATA for a fixed time, and turns the server's SUMMARY into a {@link PerfReport}.
 * Blocking; one instance per run.
 */
public final class PerfClient {
    /** How long the server has to answer HELLO before the run fails. */
    static final long WELCOME_TIMEOUT_MS = 3_000;
    /** How long after END the summary may take (lost segments under heavy loss are resent meanwhile). */
    static final long SUMMARY_TIMEOUT_MS = 15_000;

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

    /** Runs the test. */
    public PerfReport run() throws PerfException, InterruptedException {
        RawKcpConfig config = settings.socketConfig().build();
        InetSocketAddress local = new InetSocketAddress(server.getAddress().isLoopbackAddress()
            ? server.getAddress() : null, 0);
        try (RawKcpEndpoint endpoint = RawKcpEndpoint.bind(local, config)) {
            PerfClientSession session = new PerfClientSession(progress, (long) (seconds * 1e9),
                (long) (omitSeconds * 1e9));
            RawKcpConnection connection = endpoint.open(server, conv, session);
            session.start(connection);
            await(session.welcome(), WELCOME_TIMEOUT_MS, "no answer from " + describe(server) + " within "
                + WELCOME_TIMEOUT_MS / 1000 + " s (is 'shoal perf server' running there?)");
            long cpuStartNs = processCpuNs();
            long runMs = (long) ((omitSeconds + seconds) * 1000);
            long[] summary = await(session.summary(), runMs + SUMMARY_TIMEOUT_MS,
                "no summary from " + describe(server) + " after the test");
            long cpuFromNs = session.cpuAtMarkNs() >= 0 ? session.cpuAtMarkNs() : cpuStartNs;
            long cpuMs = TimeUnit.NANOSECONDS.toMillis(processCpuNs() - cpuFromNs);
            KcpStats stats = connection.stats();
            connection.close();
            RttHistogram rtt = session.rtt();
            return new PerfReport(summary[0], summary[1] / 1e9, Units.mbps(summary[0], summary[1]),
                stats.retransmits(), stats.fastRetransmits(), rtt.percentileMs(50), rtt.percentileMs(90),
                rtt.percentileMs(99), cpuMs, stats.segmentsSent(), settings, conv);
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
