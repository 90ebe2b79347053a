package io.shoal.bench.loopback;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples another JVM's CPU time every {@link #PERIOD_MS} ms on a daemon thread, so the CPU it used over a window
 * that is only known afterwards (the perf client's measured seconds end when it exits) can be read back. Two
 * figures per sample: the whole process ({@link ProcessHandle.Info}, every thread, user plus system), and the same
 * without the JIT's compiler threads (Linux {@code /proc/PID/task/TID/stat}, threads named {@code C1/C2
 * CompilerThread}; clock ticks of 10 ms). The second is the datapath's own cost: on a 2-core machine C2 still
 * compiles the secure path's crypto and session code many seconds after the warm-up, which the first includes.
 */
final class ProcessCpuSampler implements AutoCloseable {
    static final long PERIOD_MS = 100;
    /** {@code USER_HZ}: the unit of {@code utime}/{@code stime} in {@code /proc}, 100 on every Linux port. */
    private static final long NS_PER_TICK = 10_000_000L;

    private final ProcessHandle process;
    private final Path tasks;
    private final Thread thread;
    private long[] atNs = new long[1024];
    private long[] cpuNs = new long[1024];
    private long[] appNs = new long[1024];
    private int count;
    /** Per thread id: the most CPU ticks it was seen to have used. */
    private final Map<String, Long> threadTicks = new HashMap<>();

    private ProcessCpuSampler(ProcessHandle process) {
        this.process = process;
        this.tasks = Path.of("/proc", Long.toString(process.pid()), "task");
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

    /** The CPU one process used over a window: whole process and without JIT compiler threads; -1 when unknown. */
    record CpuMs(long process, long withoutJit) {
    }

    /**
     * @return CPU ms the process used from {@code fromNs} to {@code toNs} ({@link System#nanoTime} clock), from the
     *     last samples at or before each end; -1 when there is no sample that early or the OS gives no CPU time
     */
    synchronized CpuMs between(long fromNs, long toNs) {
        int from = sampleAt(fromNs);
        int to = sampleAt(toNs);
        if (from < 0 || to < 0) {
            return new CpuMs(-1, -1);
        }
        long app = appNs[from] < 0 || appNs[to] < 0 ? -1 : Duration.ofNanos(appNs[to] - appNs[from]).toMillis();
        return new CpuMs(Duration.ofNanos(cpuNs[to] - cpuNs[from]).toMillis(), app);
    }

    private int sampleAt(long tNs) {
        int best = -1;
        for (int i = 0; i < count && atNs[i] - tNs <= 0; i++) {
            best = i;
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
        long app = nonCompilerThreadsNs();
        if (cpu < 0) {
            return;
        }
        if (count == atNs.length) {
            atNs = Arrays.copyOf(atNs, count * 2);
            cpuNs = Arrays.copyOf(cpuNs, count * 2);
            appNs = Arrays.copyOf(appNs, count * 2);
        }
        atNs[count] = System.nanoTime();
        cpuNs[count] = cpu;
        appNs[count] = app;
        count++;
    }

    /**
     * Sum of utime + stime over every thread seen so far that is not a JIT compiler thread, each at the most it was
     * seen to have used (a thread that ended, or a whole JVM tearing down, keeps what it used), or -1 without /proc.
     */
    private long nonCompilerThreadsNs() {
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended between listing and reading
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    continue;
                }
                // After "(comm) ": state is field 3, utime field 14, stime field 15.
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                threadTicks.merge(t.getFileName().toString(), ticks, Math::max);
            }
        } catch (IOException | RuntimeException e) {
            return threadTicks.isEmpty() ? -1 : sumTicks() * NS_PER_TICK;
        }
        return sumTicks() * NS_PER_TICK;
    }

    private long sumTicks() {
        long sum = 0;
        for (long v : threadTicks.values()) {
            sum += v;
        }
        return sum;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
