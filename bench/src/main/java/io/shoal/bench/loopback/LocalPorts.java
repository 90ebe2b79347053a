package io.shoal.bench.loopback;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Free ports on 127.0.0.1 and waits for a child process to bind one. */
public final class LocalPorts {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private LocalPorts() {
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until {@code child} has bound UDP or TCP {@code port} on 127.0.0.1, which we see as our own bind to it
     * failing. Probing by bind, not by sending, keeps the probe out of the measured traffic (a TCP connect to
     * kcptun's listener would open a tunnel stream).
     *
     * @throws IOException if the child exits first or {@code timeoutMs} passes
     */
    public static void awaitBound(boolean udp, int port, ChildProcesses.Child child, long timeoutMs)
        throws IOException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadlineNs < 0) {
            if (!child.process().isAlive()) {
                throw new IOException(child.name() + " exited with code " + child.process().exitValue()
                    + " before binding port " + port + ":\n" + child.logTail(20));
            }
            if (!canBind(udp, port)) {
                return;
            }
            LockSupport.parkNanos(POLL_NS);
        }
        throw new IOException(child.name() + " did not bind " + (udp ? "UDP" : "TCP") + " port " + port + " within "
            + timeoutMs + " ms:\n" + child.logTail(20));
    }

    private static boolean canBind(boolean udp, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        try (java.io.Closeable probe = udp ? bindUdp(address) : bindTcp(address)) {
            return true;
        } catch (BindException e) {
            return false;
        }
    }

    private static DatagramSocket bindUdp(InetSocketAddress address) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReuseAddress(false);
            s.bind(address);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static ServerSocket bindTcp(InetSocketAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(false);
            s.bind(address, 1);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
