package io.shoal.tracker.interop;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real program from the Debian archive run by an interop test: found on PATH or the test is skipped with a message
 * saying how to get it ({@code .ci/run} installs it when run as root), started with its output in a log file, and
 * ended (with its descendants) by {@link #close()}.
 */
final class ExternalTool implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ExternalTool(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The program's path; skips the calling test when it is not installed. */
    static String require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Assumptions.abort(program + " is not installed: skipped (apt-get install " + debianPackage
            + "; .ci/run does it when run as root)");
        return null;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static ExternalTool start(List<String> command, Path logFile) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new ExternalTool(p, logFile);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 right now. */
    static int freeTcpAndUdpPort() throws IOException {
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
}
