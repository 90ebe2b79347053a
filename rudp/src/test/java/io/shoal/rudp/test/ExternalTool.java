package io.shoal.rudp.test;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real program from the Debian archive that an interop test runs (aria2c, opentracker, mktorrent, ...). When it is
 * missing, {@link #require} installs its package where it can (root with apt-get, as {@code .ci/run} does) and
 * otherwise skips the test with a message saying why; it never lets a test pass without the program. {@link #run}
 * runs a command to completion; {@link #start} starts a server whose output goes to a log file, ended with its
 * descendants by {@link #close()}. Shared by every module through the rudp test-jar.
 */
public final class ExternalTool implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ExternalTool(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The program's path, installing {@code debianPackage} if needed; aborts (skips) the test when impossible. */
    public static String require(String program, String debianPackage) throws IOException, InterruptedException {
        String found = which(program);
        if (found == null && isRoot() && which("apt-get") != null) {
            run(List.of("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + debianPackage
                + " || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                + debianPackage + ")"), 300);
            found = which(program);
        }
        Assumptions.assumeTrue(found != null, program + " is not installed and the Debian package '" + debianPackage
            + "' could not be installed (needs root and apt-get; .ci/run does it): interop test skipped");
        return found;
    }

    /** Whether this JVM runs as root (some programs, such as opentracker, refuse to). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code command} to completion and returns its combined output; fails on a timeout. */
    public static Result run(List<String> command, int timeoutSec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in " + timeoutSec + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Exit code and output of one {@link #run}. */
    public record Result(int exit, String output) {
    }

    /** Starts a long-running program with stdin from /dev/null and its output in {@code logFile}. */
    public static ExternalTool start(List<String> command, Path logFile) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new ExternalTool(p, logFile);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the program has written so far, for failure messages. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 right now. */
    public static int freeTcpAndUdpPort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, tcp.getLocalPort()))) {
                    return tcp.getLocalPort();
                } catch (IOException e) {
                    // UDP side taken: try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
    }

    private static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
