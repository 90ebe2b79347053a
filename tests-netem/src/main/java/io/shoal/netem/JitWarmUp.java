package io.shoal.netem;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs datagrams through the server's own UDP path before it serves, until the JIT has compiled it: one-second
 * rounds of {@link DelayAccuracyProbe#measure} (a temporary proxy with a 10 ms latency toxic, a paced sender and a
 * receiver on loopback) at the given rate, until {@link #QUIET_ROUNDS} rounds in a row that end with nothing being
 * compiled or queued within a second (the {@code Compiler.queue} diagnostic command) and in which the JIT compilers worked less than
 * {@link #QUIET_SHARE} of the round, or the time limit. Why: on 2 cores the optimizing compiler kept a whole core
 * busy for 5-7 s after traffic began at 100k datagrams/s, far past a fixed 2 s warm-up; while it ran, the proxy's
 * loop shared the other core with the application and waited 2-5 ms in the run queue (the "1 run in 4" late p99 of
 * issue 4; see the README's Accuracy section). One quiet round is not enough: with the optimizing compiler's queue
 * long, the tiered policy compiles the hot path with C1 at tier 2 (no profiling) and moves it on only once the queue
 * has drained, so a quiet round can be followed by its C2 compilation (seen: 1.5 s into a timed run). Nor is the
 * compilers' time alone: it is added when a compilation ends, so a long one, slowed by a loaded machine, looks quiet
 * until it ends. The compilers' time comes from {@link CompilationMXBean} (elapsed
 * time summed over compilations); where the JVM does not report it, one round runs.
 */
final class JitWarmUp {
    /** A round with the compilers busy less than this share of it counts as quiet. */
    static final double QUIET_SHARE = 0.05;
    /** Quiet rounds in a row that end the warm-up. */
    static final int QUIET_ROUNDS = 2;
    private static final int ROUND_SECONDS = 1;
    private static final long DRAIN_MS = 1000;
    private static final long LATENCY_MS = 10;

    /** What a warm-up did: rounds run, their total time, and the compilers' time in the last round. */
    record Outcome(int rounds, long elapsedMs, long lastRoundJitMs, boolean quiet) {
        @Override
        public String toString() {
            return String.format("JIT warm-up: %d rounds in %d ms, %s (compilers %d ms in the last round)", rounds,
                elapsedMs, quiet ? "quiet" : "time limit reached", lastRoundJitMs);
        }
    }

    private JitWarmUp() {
    }

    /** Warms {@code server}'s UDP path at {@code pps} datagrams per second for at most {@code maxMs}. */
    static Outcome run(NetemServer server, int pps, long maxMs) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long startNs = System.nanoTime();
        int rounds = 0;
        long roundJitMs = 0;
        int quietRounds = 0;
        boolean quiet = false;
        while (!quiet && (rounds == 0 || System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(maxMs))) {
            long roundStartNs = System.nanoTime();
            long jitBeforeMs = measurable ? jit.getTotalCompilationTime() : 0;
            DelayAccuracyProbe.measure(server, LATENCY_MS, pps, ROUND_SECONDS, false);
            rounds++;
            roundJitMs = measurable ? jit.getTotalCompilationTime() - jitBeforeMs : 0;
            long roundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStartNs);
            quietRounds = roundJitMs < QUIET_SHARE * roundMs && drained() ? quietRounds + 1 : 0;
            quiet = !measurable || quietRounds >= QUIET_ROUNDS;
        }
        return new Outcome(rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), roundJitMs, quiet);
    }

    /**
     * Whether the compilers' queue empties within {@link #DRAIN_MS} of a round's end: a round's last steps (sorting
     * its samples) start compilations of their own, which on a loaded machine are still running when it ends.
     */
    private static boolean drained() throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        while (compiling()) {
            if (System.nanoTime() - deadlineNs > 0) {
                return false;
            }
            Thread.sleep(20); // polling the JVM's queue; nothing to wait on
        }
        return true;
    }

    /**
     * Whether a compilation is running or queued, from the {@code Compiler.queue} diagnostic command (lines naming a
     * compiler thread or starting with a compile id); false where the command is not available.
     */
    static boolean compiling() {
        try {
            Object queue = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue", new Object[] {null},
                new String[] {String[].class.getName()});
            for (String line : String.valueOf(queue).split("\n")) {
                String l = line.trim();
                if (l.startsWith("C1 CompilerThread") || l.startsWith("C2 CompilerThread")
                    || !l.isEmpty() && Character.isDigit(l.charAt(0))) {
                    return true;
                }
            }
            return false;
        } catch (JMException | RuntimeException e) {
            return false;
        }
    }
}
