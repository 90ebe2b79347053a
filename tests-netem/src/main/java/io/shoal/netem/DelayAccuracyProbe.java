package io.shoal.netem;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Measures how accurately a UDP proxy holds datagrams for a {@code latency} toxic, end to end on loopback: a paced
 * sender ({@link ProbeLoad}) sends datagrams carrying their send time through an in-process proxy, a batched receiver
 * takes receive time minus send time minus the latency. Run it outside the test JVM (whose paranoid leak detector tracks
 * every buffer and slows the proxy tenfold):
 * {@code java -cp "tests-netem/target/shoal-netem.jar:tests-netem/target/lib/*" io.shoal.netem.DelayAccuracyProbe}
 * [latencyMs] [pps...].
 */
public final class DelayAccuracyProbe {
    /**
     * Percentiles of one run: delay error (receive minus send minus latency) in microseconds, the proxy event loop's
     * CPU per datagram delivered (all, and the part in user space), and the send rate the sender reached.
     */
    public record Result(int pps, int sent, int received, long p50Us, long p99Us, long minUs, double proxyCpuUs,
                         double proxyUserCpuUs, double sentPps) {
        @Override
        public String toString() {
            return String.format("%d pps (sender reached %.0f): %d of %d delivered, delay error p50 %d us, p99 %d us, "
                + "min %d us; proxy thread CPU %.2f us per datagram (%.2f us of it outside the kernel)", pps, sentPps,
                received, sent, p50Us, p99Us, minUs, proxyCpuUs, proxyUserCpuUs);
        }
    }

    private DelayAccuracyProbe() {
    }

    public static void main(String[] args) throws Exception {
        long latencyMs = args.length > 0 ? Long.parseLong(args[0]) : 10;
        int[] rates = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {10_000, 100_000};
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            measure(server, latencyMs, 10_000, 1); // warm-up
            for (int pps : rates) {
                System.out.println("latency " + latencyMs + " ms, " + measure(server, latencyMs, pps, 1));
            }
        }
    }

    /** Sends {@code pps} datagrams per second for {@code seconds} through a fresh proxy with a latency toxic. */
    public static Result measure(NetemServer server, long latencyMs, int pps, int seconds) throws InterruptedException {
        int n = pps * seconds;
        try (ProbeLoad load = new ProbeLoad(n, TimeUnit.MILLISECONDS.toNanos(latencyMs))) {
            String name = "accuracy-" + pps + "-" + System.nanoTime();
            NetemProxy proxy = server.proxies().create(new ProxyRegistry.ProxySpec(name, "udp://127.0.0.1:0",
                "udp://127.0.0.1:" + load.receiverPort(), null));
            proxy.toxics().add(new Toxic("lat", ToxicType.LATENCY, ToxicStream.UPSTREAM, 1.0,
                new double[] {latencyMs, 0}, System.nanoTime()));
            InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(proxy.listen().replaceAll(".*:", "")));
            long cpuBeforeNs = proxyCpuNs(false);
            long userBeforeNs = proxyCpuNs(true);
            double sentPps = load.run(target, pps);
            long[] got = load.sortedErrorsUs();
            // CPU the proxy's event loop spent per datagram: what it costs, whatever else the machine is doing.
            double cpuUs = (proxyCpuNs(false) - cpuBeforeNs) / 1000.0 / Math.max(1, got.length);
            double userUs = (proxyCpuNs(true) - userBeforeNs) / 1000.0 / Math.max(1, got.length);
            server.proxies().delete(name);
            if (got.length == 0) {
                return new Result(pps, n, 0, -1, -1, -1, cpuUs, userUs, sentPps);
            }
            return new Result(pps, n, got.length, got[got.length / 2], got[got.length * 99 / 100], got[0], cpuUs,
                userUs, sentPps);
        }
    }

    /** CPU time of the proxies' event loops so far: all of it, or ({@code userOnly}) what was not in the kernel. */
    private static long proxyCpuNs(boolean userOnly) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("netem-proxy")) {
                sum += Math.max(0, userOnly ? threads.getThreadUserTime(t.getId())
                    : threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }
}
