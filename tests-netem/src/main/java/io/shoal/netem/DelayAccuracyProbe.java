package io.shoal.netem;

import io.shoal.rudp.netty.LeakDetectionDefault;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures how accurately a UDP proxy holds datagrams for a {@code latency} toxic, end to end on loopback: a paced
 * sender ({@link ProbeLoad}) sends datagrams carrying their send time through an in-process proxy, a batched receiver
 * takes receive time minus send time minus the latency. Beside that end-to-end error it prints the proxy's own
 * release lateness ({@link LatenessSummary}): how late the proxy handed each datagram to the kernel, apart from the
 * load's scheduling and loopback delivery. Run it outside the test JVM (whose paranoid leak detector tracks every
 * buffer and slows the proxy tenfold):
 * {@code java -cp "tests-netem/target/shoal-netem.jar:tests-netem/target/lib/*" io.shoal.netem.DelayAccuracyProbe}
 * [--seconds N] [--bypass] [--realtime | --realtime-proxy] [--pin] [--nice N] [--nice-proxy N] [--warm-up-ms MS]
 * [latencyMs] [pps...].
 * With {@code --bypass} the sender sends straight to the receiver (no proxy, no latency): the floor the probe itself sets on this machine.
 * {@code --realtime} gives the process a real-time scheduling class ({@link ThreadPlacement}, needs root),
 * {@code --realtime-proxy} every thread but the load's (as a standalone {@code shoal netem --realtime} runs beside an
 * application in another process),
 * {@code --nice-proxy N} (default -20, as {@code shoal netem}'s {@code --nice}; 0 leaves it) renices the proxy's
 * loop, {@code --pin} puts the proxy's loop on CPU 1 and the load's on CPU 0, {@code --nice N} renices every thread
 * (N &lt; 0 needs root); they combine. Before the runs the server warms its own path until the JIT is quiet, as
 * {@code shoal netem} does ({@link NetemServer#warmUp}; {@code --warm-up-ms MS}, 0 skips it), then a warm-up at the
 * highest rate lets the JIT compile the load's paths.
 */
public final class DelayAccuracyProbe {
    /**
     * One run: {@code offeredPps} asked for and {@code sentPps} reached by the sender; delay error (receive minus send
     * minus latency) minimum, percentiles and maximum in microseconds over the datagrams received; CPU per datagram
     * received of the proxy's event loop (all, and the part outside the kernel) and of the probe's sender and receiver threads; datagrams the
     * proxy dropped (its delay line or a socket full); the rest of what was not delivered was lost in the kernel's
     * socket buffers. {@code proxyLateness} is the proxy's own release lateness over the run (empty when bypassed);
     * {@code gcCount} and {@code gcMs} the collections of this JVM during the run and their total pause time;
     * {@code jitMs} the JIT compilers' time during the run (compiler threads busy beside the loops on the same cores).
     */
    public record Result(int offeredPps, double sentPps, int sent, int received, long minUs, long p50Us, long p99Us,
                         long maxUs,
                         double proxyCpuUs, double proxyUserCpuUs, double loadCpuUs, long proxyDropped,
                         LatenessSummary proxyLateness, long gcCount, long gcMs, long jitMs, boolean bypass) {
        /** Share of the datagrams sent that arrived, 0 to 1. */
        public double deliveredShare() {
            return sent == 0 ? 0 : (double) received / sent;
        }

        @Override
        public String toString() {
            String proxy = bypass ? "proxy bypassed" : String.format("proxy-side %s; proxy CPU %.2f us/datagram "
                + "(%.2f us user), %d dropped by the proxy", proxyLateness, proxyCpuUs, proxyUserCpuUs, proxyDropped);
            return String.format("%d pps asked, %.0f reached: %.2f%% delivered (%d of %d), end-to-end error min %d "
                + "us, p50 %d us, p99 %d us, max %d us; %s; sender+receiver CPU %.2f us/datagram; %d GCs (%d ms), JIT %d ms "
                + "in the run", offeredPps, sentPps, 100 * deliveredShare(), received, sent, minUs, p50Us, p99Us, maxUs,
                proxy, loadCpuUs, gcCount, gcMs, jitMs);
        }
    }

    private DelayAccuracyProbe() {
    }

    public static void main(String[] args) throws Exception {
        LeakDetectionDefault.offUnlessConfigured();
        int seconds = 3;
        boolean bypass = false;
        RealtimeScope realtime = RealtimeScope.NONE;
        boolean pin = false;
        Integer nice = null;
        int niceProxy = -20;
        long warmUpMs = NetemCommand.DEFAULT_WARM_UP_MS;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--seconds".equals(args[i]) && i + 1 < args.length) {
                seconds = Integer.parseInt(args[++i]);
            } else if ("--bypass".equals(args[i])) {
                bypass = true;
            } else if ("--realtime".equals(args[i])) {
                realtime = RealtimeScope.WHOLE_PROCESS;
            } else if ("--realtime-proxy".equals(args[i])) {
                realtime = RealtimeScope.ALL_BUT_LOAD;
            } else if ("--pin".equals(args[i])) {
                pin = true;
            } else if ("--nice-proxy".equals(args[i]) && i + 1 < args.length) {
                niceProxy = Integer.parseInt(args[++i]);
            } else if ("--warm-up-ms".equals(args[i]) && i + 1 < args.length) {
                warmUpMs = Long.parseLong(args[++i]);
            } else if ("--nice".equals(args[i]) && i + 1 < args.length) {
                nice = Integer.valueOf(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        long latencyMs = rest.isEmpty() ? 10 : Long.parseLong(rest.get(0));
        int[] rates = rest.size() > 1 ? rest.subList(1, rest.size()).stream().mapToInt(Integer::parseInt).toArray()
            : new int[] {10_000, 100_000};
        int top = 0;
        for (int pps : rates) {
            top = Math.max(top, pps);
        }
        System.out.println("transport " + Transports.name() + ", segmentation offload "
            + Transports.SEGMENTATION_OFFLOAD + ", " + seconds + " s per run, real-time " + realtime + ", pinned " + pin
            + ", nice " + nice            + ", spin " + UdpImpairmentProxy.SPIN_NS / 1000 + " us, timer slack " + UdpImpairmentProxy.TIMER_SLACK_NS
            + " ns (-1: the kernel's)");
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            if (niceProxy != 0) { // as ./shoal netem does by default
                List<String> problems = server.niceProxyLoops(niceProxy);
                System.out.println(problems.isEmpty() ? "proxy loop at nice " + niceProxy
                    : "proxy loop left at nice 0: " + problems);
            }
            if (warmUpMs > 0) { // as ./shoal netem does by default
                System.out.println(server.warmUp(warmUpMs));
            }
            // Warm-up: compile the paths at the rate measured.
            measure(server, latencyMs, top, 2, bypass, realtime, pin, nice);
            for (int pps : rates) {
                System.out.println("latency " + latencyMs + " ms, "
                    + measure(server, latencyMs, pps, seconds, bypass, realtime, pin, nice));
            }
        }
    }

    /**
     * Sends {@code pps} datagrams per second for {@code seconds} through a fresh proxy with a latency toxic, or
     * ({@code bypass}) straight to the receiver.
     */
    public static Result measure(NetemServer server, long latencyMs, int pps, int seconds, boolean bypass)
        throws InterruptedException {
        return measure(server, latencyMs, pps, seconds, bypass, RealtimeScope.NONE, false, null);
    }

    private static Result measure(NetemServer server, long latencyMs, int pps, int seconds, boolean bypass,
                                  RealtimeScope realtime, boolean pin, Integer nice) throws InterruptedException {
        int n = pps * seconds;
        long latencyNs = bypass ? 0 : TimeUnit.MILLISECONDS.toNanos(latencyMs);
        try (ProbeLoad load = new ProbeLoad(n, latencyNs)) {
            String name = "accuracy-" + pps + "-" + System.nanoTime();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", load.receiverPort());
            NetemProxy proxy = null;
            if (!bypass) {
                proxy = server.proxies().create(new ProxyRegistry.ProxySpec(name, "udp://127.0.0.1:0",
                    "udp://127.0.0.1:" + load.receiverPort(), null));
                proxy.toxics().add(new Toxic("lat", ToxicType.LATENCY, ToxicStream.UPSTREAM, 1.0,
                    new double[] {latencyMs, 0}, System.nanoTime()));
                target = new InetSocketAddress("127.0.0.1", Integer.parseInt(proxy.listen().replaceAll(".*:", "")));
            }
            place(realtime, pin, nice);
            // Start the timed phase with an empty young generation: what little the path still allocates (Netty's
            // per-read objects) then fits in it, and no collection pauses the run (see the README's JVM options).
            System.gc();
            long proxyBeforeNs = cpuNs("netem-proxy", false);
            long userBeforeNs = cpuNs("netem-proxy", true);
            long loadBeforeNs = cpuNs("probe-", false);
            long[] gcBefore = gc();
            double sentPps = load.run(target, pps);
            long[] gcAfter = gc();
            long[] got = load.sortedErrorsUs();
            // CPU per datagram: what each side costs, whatever else the machine is doing.
            int per = Math.max(1, got.length);
            double proxyUs = (cpuNs("netem-proxy", false) - proxyBeforeNs) / 1000.0 / per;
            double userUs = (cpuNs("netem-proxy", true) - userBeforeNs) / 1000.0 / per;
            double loadUs = (cpuNs("probe-", false) - loadBeforeNs) / 1000.0 / per;
            long dropped = 0;
            LatenessSummary lateness = LatenessSummary.EMPTY;
            if (proxy != null) {
                dropped = proxy.stats().droppedOverflow();
                lateness = proxy.lateness(false);
                String wakeups = proxy.wakeups(false);
                if (!wakeups.isEmpty()) {
                    System.out.println("proxy wake-ups: " + wakeups);
                }
                server.proxies().delete(name);
            }
            if (got.length == 0) {
                return new Result(pps, sentPps, n, 0, -1, -1, -1, -1, proxyUs, userUs, loadUs, dropped, lateness,
                    gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], gcAfter[2] - gcBefore[2], bypass);
            }
            return new Result(pps, sentPps, n, got.length, got[0], got[got.length / 2], got[got.length * 99 / 100],
                got[got.length - 1], proxyUs, userUs, loadUs, dropped, lateness, gcAfter[0] - gcBefore[0],
                gcAfter[1] - gcBefore[1], gcAfter[2] - gcBefore[2], bypass);
        }
    }

    /** Which threads {@code --realtime} (whole process) or {@code --realtime-proxy} (all but the load) move. */
    private enum RealtimeScope { NONE, WHOLE_PROCESS, ALL_BUT_LOAD }

    private static void place(RealtimeScope realtime, boolean pin, Integer nice) {
        List<String> problems = new ArrayList<>();
        if (nice != null) {
            ThreadPlacement.nice(nice, problems);
        }
        if (realtime == RealtimeScope.WHOLE_PROCESS) {
            ThreadPlacement.realtime(problems);
        } else if (realtime == RealtimeScope.ALL_BUT_LOAD) {
            ThreadPlacement.realtimeExcept("probe-", problems);
        }
        if (pin) {
            ThreadPlacement.pin("netem-proxy", 1, problems);
            ThreadPlacement.pin("probe-send", 0, problems);
            ThreadPlacement.pin("probe-receive", 0, problems);
        }
        if (!problems.isEmpty()) {
            System.out.println("thread placement incomplete: " + problems);
        }
    }

    /** Collections so far and their total time in ms, over every collector of this JVM, and the JIT's time in ms. */
    private static long[] gc() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMs = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        return new long[] {count, ms, jitMs};
    }

    /** CPU time so far of the threads whose name starts with {@code prefix}: all, or ({@code userOnly}) user time. */
    private static long cpuNs(String prefix, boolean userOnly) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                sum += Math.max(0, userOnly ? threads.getThreadUserTime(t.getId())
                    : threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }
}
