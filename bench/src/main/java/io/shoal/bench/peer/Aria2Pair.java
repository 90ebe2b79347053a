package io.shoal.bench.peer;

import io.shoal.bench.loopback.ChildProcesses;
import io.shoal.bench.loopback.LocalPorts;
import io.shoal.tracker.server.TrackerServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One aria2c-to-aria2c transfer over TCP on loopback, found through our in-process HTTP tracker (DHT, local peer
 * discovery and peer exchange off, so the tracker is the only way they meet). The seeder serves the file unverified
 * ({@code --bt-seed-unverified}, the same as a shoal seeder trusting its resume data) and forever ({@code
 * --seed-ratio=0.0}); the downloader is timed from its process start to its exit, which it does once every piece is
 * verified ({@code --seed-time=0}). Both preallocate nothing ({@code --file-allocation=none}), as shoal's sparse
 * files do.
 */
final class Aria2Pair {
    private static final long START_TIMEOUT_MS = 15_000;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final List<String> COMMON = List.of("--enable-dht=false", "--enable-dht6=false",
        "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--file-allocation=none", "--summary-interval=0",
        "--console-log-level=notice", "--bt-tracker-connect-timeout=10", "--bt-tracker-timeout=10",
        "--auto-save-interval=0");

    private final TrackerServer tracker;
    private final Path torrentFile;
    private final Path logDir;

    Aria2Pair(TrackerServer tracker, Path torrentFile, Path logDir) {
        this.tracker = tracker;
        this.torrentFile = torrentFile;
        this.logDir = logDir;
    }

    static String describe() {
        return "aria2c 1 -> 1 over TCP, " + String.join(" ", COMMON.subList(0, 5));
    }

    /**
     * Seeds from {@code seedDir}, downloads into {@code downloadDir}; returns the downloader's seconds. Every process
     * is gone on return.
     */
    double runOnce(Path seedDir, Path downloadDir, int run, long timeoutMs) throws IOException, InterruptedException {
        try (ChildProcesses children = new ChildProcesses(logDir)) {
            long announces = httpAnnounces();
            int seedPort = LocalPorts.freeTcpPort();
            ChildProcesses.Child seeder = children.start("aria2c-seeder-" + run, command(seedDir, seedPort,
                List.of("--seed-ratio=0.0", "--bt-seed-unverified=true", "--check-integrity=false")));
            LocalPorts.awaitBound(false, seedPort, seeder, START_TIMEOUT_MS);
            awaitAnnounce(announces, seeder);
            int downPort = LocalPorts.freeTcpPort();
            long startNs = System.nanoTime();
            ChildProcesses.Child downloader = children.start("aria2c-downloader-" + run, command(downloadDir, downPort,
                List.of("--seed-time=0")));
            if (!downloader.process().waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IOException("aria2c did not finish within " + timeoutMs + " ms:\n" + downloader.logTail(10));
            }
            double seconds = (System.nanoTime() - startNs) / 1e9;
            if (downloader.process().exitValue() != 0) {
                throw new IOException("aria2c exited with " + downloader.process().exitValue() + ":\n"
                    + downloader.logTail(10));
            }
            return seconds;
        }
    }

    private List<String> command(Path dir, int port, List<String> role) {
        List<String> c = new ArrayList<>();
        c.add("aria2c");
        c.add("--dir=" + dir);
        c.add("--listen-port=" + port);
        c.addAll(COMMON);
        c.addAll(role);
        c.add(torrentFile.toString());
        return c;
    }

    /** Waits until the tracker has seen one more HTTP announce than {@code before}: the seeder is listed. */
    private void awaitAnnounce(long before, ChildProcesses.Child seeder) throws IOException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (httpAnnounces() <= before) {
            if (!seeder.process().isAlive() || System.nanoTime() - deadlineNs > 0) {
                throw new IOException("the aria2c seeder did not announce to the tracker:\n" + seeder.logTail(10));
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    private long httpAnnounces() {
        return ((Number) tracker.stats().get("http_announces")).longValue();
    }
}
