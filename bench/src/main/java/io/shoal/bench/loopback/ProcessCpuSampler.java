package io.shoal.bench.loopback;

import java.time.Duration;
import java.util.Arrays;

/**
 * Samples another process's total CPU time (every thread, user plus system; {@link ProcessHandle.Info}, read from
 * {@code /proc} on Linux at clock-tick resolution) every {@link #PERIOD_MS} ms on a daemon thread, so the CPU it
 * used over a window that is only known afterwards (the perf client's measured seconds end when it exits) can be
 * read back. Used for the perf server, whose own report has no CPU figure.
 */
final class ProcessCpuSampler implements AutoCloseable {
    static final long PERIOD_MS = 100;

    private final ProcessHandle process;
    private final Thread thread;
    private long[] atNs = new long[1024];
    private long[] cpuNs = new long[1024];
    private int count;

    private ProcessCpuSampler(ProcessHandle process) {
        this.process = process;
        this.thread = new Thread(this::loop, "cpu-sampler-" + process.pid());
        thread.setDaemon(true);
    }

    /** Starts sampling {@code process} now. */
    static ProcessCpuSampler start(Process process) {
        ProcessCpuSampler s = new ProcessCpuSampler(process.toHandle());
        s.sample();
        s.thread.start();
        return s;
    }

    /**
     * @return CPU ms the process used from {@code fromNs} to {@code toNs} ({@link System#nanoTime} clock), from the
     *     last samples at or before each end; -1 when there is no sample that early or the OS gives no CPU time
     */
    synchronized long cpuMsBetween(long fromNs, long toNs) {
        long from = cpuAt(fromNs);
        long to = cpuAt(toNs);
        return from < 0 || to < 0 ? -1 : Duration.ofNanos(to - from).toMillis();
    }

    private long cpuAt(long tNs) {
        long best = -1;
        for (int i = 0; i < count && atNs[i] - tNs <= 0; i++) {
            best = cpuNs[i];
        }
        return best;
    }

    private void loop() {
        try {
            while (process.isAlive()) {
                Thread.sleep(PERIOD_MS);
                sample();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void sample() {
        long cpu = process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        if (cpu < 0) {
            return;
        }
        if (count == atNs.length) {
            atNs = Arrays.copyOf(atNs, count * 2);
            cpuNs = Arrays.copyOf(cpuNs, count * 2);
        }
        atNs[count] = System.nanoTime();
        cpuNs[count] = cpu;
        count++;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
