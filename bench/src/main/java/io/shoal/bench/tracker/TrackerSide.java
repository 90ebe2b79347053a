package io.shoal.bench.tracker;

import io.shoal.bench.DebianTool;

import io.shoal.bench.loopback.ChildProcesses;
import io.shoal.bench.loopback.LocalPorts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One tracker under test, started fresh (empty registry) for every run in a process of its own, on 127.0.0.1, with
 * the same allow-list file: shoal ({@code shoal tracker} from this jar, in its own JVM, per-address rate limit off)
 * or opentracker (Debian package, as {@code nobody} when we are root; its Debian build requires {@code -w}).
 */
final class TrackerSide {
    private static final long START_TIMEOUT_MS = 15_000;

    final String name;
    private final Path allowFile;
    String skipped;

    private TrackerSide(String name, Path allowFile) {
        this.name = name;
        this.allowFile = allowFile;
    }

    static TrackerSide shoal(Path allowFile) {
        return new TrackerSide("shoal", allowFile);
    }

    /** opentracker, installed from Debian when missing and we are root; otherwise marked skipped with the reason. */
    static TrackerSide opentracker(Path allowFile, Path logDir) {
        TrackerSide side = new TrackerSide("opentracker", allowFile);
        String why = DebianTool.ensure("opentracker", "opentracker", logDir);
        if (why != null) {
            side.skipped = why;
        }
        return side;
    }

    /** Starts this tracker on a fresh port; returns its address once both UDP and TCP are bound. */
    InetSocketAddress start(ChildProcesses children, int run) throws IOException {
        int port = LocalPorts.freeTcpPort();
        List<String> command = new ArrayList<>();
        if (name.equals("shoal")) {
            String jar = Path.of(TrackerSide.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=disabled", "-cp", jar, "io.shoal.peer.cli.ShoalCli", "tracker",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--per-ip-rate", "0",
                "--allow", allowFile.toString()));
        } else {
            if (isRoot()) {
                command.addAll(List.of("runuser", "-u", "nobody", "--"));
            }
            command.addAll(List.of("opentracker", "-i", "127.0.0.1", "-p", String.valueOf(port), "-P",
                String.valueOf(port), "-w", allowFile.toString()));
        }
        ChildProcesses.Child child = children.start(name + "-" + run, command);
        LocalPorts.awaitBound(false, port, child, START_TIMEOUT_MS);
        LocalPorts.awaitBound(true, port, child, START_TIMEOUT_MS);
        return new InetSocketAddress(LocalPorts.LOOPBACK, port);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
