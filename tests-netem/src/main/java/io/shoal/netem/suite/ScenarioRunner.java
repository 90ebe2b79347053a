package io.shoal.netem.suite;

import io.shoal.netem.NetemServer;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one scenario: a fresh {@link NetemServer} seeded with the suite's seed, the workload on a thread of its own
 * with the size's time limit, and the process's CPU time (the proxy, both endpoints, GC and JIT all count) measured
 * across it. Never throws for a failing scenario: the result says passed, failed (and why) or skipped.
 */
public final class ScenarioRunner {
    /** Extra time after the limit for a workload to notice the interrupt and close its sockets. */
    private static final long GRACE_MS = 5_000;

    private final SuiteSize size;
    private final long seed;

    public ScenarioRunner(SuiteSize size, long seed) {
        this.size = size;
        this.seed = seed;
    }

    public SuiteSize size() {
        return size;
    }

    public long seed() {
        return seed;
    }

    public ScenarioResult run(SuiteMatrix.Scenario scenario) {
        return run(scenario.profile(), scenario.workload());
    }

    public ScenarioResult run(LinkProfile profile, Workload workload) {
        String unsupported = workload.unsupportedReason(profile);
        if (unsupported != null) {
            return new ScenarioResult(profile, workload.id(), ScenarioResult.Status.SKIPPED, unsupported, null, 0, 0);
        }
        long cpu0 = processCpuNs();
        long wall0 = System.nanoTime();
        ScenarioResult.Status status = ScenarioResult.Status.FAILED;
        String reason;
        Measurement m = null;
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netem-suite-" + workload.id());
            t.setDaemon(true);
            return t;
        });
        try (ScenarioContext ctx = new ScenarioContext(
            NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), seed), profile, size, seed,
            wall0 + TimeUnit.MILLISECONDS.toNanos(size.timeLimitMs()))) {
            Future<Measurement> f = thread.submit(() -> workload.run(ctx));
            try {
                m = f.get(size.timeLimitMs() + GRACE_MS, TimeUnit.MILLISECONDS);
                String midway = ctx.midwayProblem();
                status = midway == null ? ScenarioResult.Status.PASSED : ScenarioResult.Status.FAILED;
                reason = midway == null ? "" : midway;
            } catch (TimeoutException e) {
                f.cancel(true);
                reason = "did not complete within " + size.timeLimitMs() + " ms";
            } catch (ExecutionException e) {
                reason = describe(e.getCause());
            }
        } catch (Exception e) {
            reason = "could not set up: " + e;
        } finally {
            thread.shutdownNow();
        }
        if (status != ScenarioResult.Status.PASSED) {
            m = null;
        }
        return new ScenarioResult(profile, workload.id(), status, reason, m, (processCpuNs() - cpu0) / 1e9,
            (System.nanoTime() - wall0) / 1e9);
    }

    private String describe(Throwable cause) {
        if (cause instanceof ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IntegrityException) {
            return "integrity: " + cause.getMessage() + " (seed " + seed + ")";
        }
        if (cause instanceof TimeoutException) {
            return "did not complete within " + size.timeLimitMs() + " ms";
        }
        return "failed: " + cause;
    }

    /**
     * CPU time of the whole process in ns: the OS's count where the JDK exposes it, else the sum over live threads
     * (which misses threads that ended during the scenario).
     */
    static long processCpuNs() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            return sun.getProcessCpuTime();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }
}
