package io.shoal.bench.loopback;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes one benchmark run starts, each with its output (stdout and stderr together) in a log file.
 * {@link #close()} ends every one of them and its descendants, politely then forcibly; a shutdown hook does the same
 * if the JVM is stopped (Ctrl-C) before that. Used from one thread.
 */
public final class ChildProcesses implements AutoCloseable {
    private static final long GRACE_MS = 3_000;

    private final List<Process> processes = new ArrayList<>();
    private final Path logDir;
    private final Thread shutdownHook = new Thread(this::killAll, "loopback-child-reaper");

    public ChildProcesses(Path logDir) {
        this.logDir = logDir;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code command} with its output going to {@code <logDir>/<name>.log}. */
    public Child start(String name, List<String> command) throws IOException {
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .start();
        processes.add(process);
        return new Child(name, process, log);
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }

    private void killAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(GRACE_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** One started process and its log. */
    public record Child(String name, Process process, Path log) {
        /** The last {@code lines} lines of the log, for error messages. */
        public String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
