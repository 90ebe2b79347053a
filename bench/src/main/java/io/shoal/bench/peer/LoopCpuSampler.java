package io.shoal.bench.peer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the shoal nodes' event-loop threads ({@code shoal-peer-*}) over one timed run, sampled every 50 ms from a
 * daemon thread (a node's loop thread ends when the node closes, so its last sample stands for its total). With the
 * wall time it says whether the loops were busy (CPU-bound) or waiting (bound by the protocol's flow). Thread-safe.
 */
final class LoopCpuSampler implements AutoCloseable {
    private static final long PERIOD_MS = 50;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startNs = new HashMap<>();
    private final Map<Long, Long> lastNs = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    LoopCpuSampler() {
        sampler = new Thread(this::loop, "bench-loop-cpu");
        sampler.setDaemon(true);
        sample();
        startNs.putAll(lastNs);
        sampler.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("shoal-peer")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    lastNs.put(info.getThreadId(), cpu);
                }
            }
        }
    }

    /** The busiest two loops' CPU seconds during the run (the seeder's and the downloader's). */
    synchronized double[] busiestTwoSeconds() {
        double a = 0;
        double b = 0;
        for (Map.Entry<Long, Long> e : lastNs.entrySet()) {
            double s = (e.getValue() - startNs.getOrDefault(e.getKey(), 0L)) / 1e9;
            if (s > a) {
                b = a;
                a = s;
            } else if (s > b) {
                b = s;
            }
        }
        return new double[] {a, b};
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
