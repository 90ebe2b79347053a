package io.shoal.netem.suite;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code kcptun-client} or {@code kcptun-server} child process (the Debian {@code kcptun} package), its output in
 * a temporary log file. {@link #close()} kills it and removes the log.
 */
final class KcptunProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private KcptunProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Null when both programs are on the PATH (installing the package first when root with apt-get), else why not. */
    static String unavailableReason() {
        if (onPath("kcptun-client") && onPath("kcptun-server")) {
            return null;
        }
        if (onPath("apt-get") && "root".equals(System.getProperty("user.name"))) {
            try {
                Process apt = new ProcessBuilder("apt-get", "install", "-y", "kcptun").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (apt.waitFor(5, TimeUnit.MINUTES) && onPath("kcptun-client") && onPath("kcptun-server")) {
                    return null;
                }
                apt.destroyForcibly();
            } catch (IOException e) {
                return "kcptun is not installed and apt-get failed: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return "kcptun-client/kcptun-server not on the PATH (install the Debian package 'kcptun')";
    }

    /**
     * Starts {@code program} with {@code args} and waits until it has bound {@code port} on 127.0.0.1 ({@code udp}
     * or TCP), seen as our own bind to that port failing.
     */
    static KcptunProcess start(String program, List<String> args, boolean udp, int port, long timeoutMs)
        throws IOException {
        Path log = Files.createTempFile(program, ".log");
        List<String> command = new java.util.ArrayList<>(List.of(program));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KcptunProcess child = new KcptunProcess(program, p, log);
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (isFree(udp, port)) {
            if (!p.isAlive() || System.nanoTime() - deadlineNs > 0) {
                String why = child.name + (p.isAlive() ? " did not bind port " + port : " exited") + ": "
                    + Files.readString(log).strip();
                child.close();
                throw new IOException(why);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // polling a child process, not the network
        }
        return child;
    }

    /** A port on 127.0.0.1 that is free for UDP or TCP right now. */
    static int freePort(boolean udp) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (udp) {
            try (DatagramSocket s = new DatagramSocket(any)) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(any);
            return s.getLocalPort();
        }
    }

    private static boolean isFree(boolean udp, int port) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (java.io.Closeable probe = udp ? new DatagramSocket(at) : new ServerSocket(port, 1, at.getAddress())) {
            return true;
        } catch (SocketException bound) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        return Executables.find(program) != null;
    }

    /** CPU time the process has used so far, in seconds (NaN where the OS does not tell). */
    double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
