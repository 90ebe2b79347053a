package io.shoal.bench.loopback;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes to a TCP port on 127.0.0.1 as fast as it accepts bytes, for a fixed time, then closes. A watchdog closes
 * the socket {@value #WATCHDOG_SLACK_S} s after the end, so a stuck tunnel cannot block a write forever.
 */
final class TcpSource {
    static final int WATCHDOG_SLACK_S = 10;

    private TcpSource() {
    }

    /** Returns the bytes written in {@code seconds}. */
    static long push(int port, int seconds) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 31 + 7);
        }
        long written = 0;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(LocalPorts.LOOPBACK, port), 5_000);
            OutputStream out = socket.getOutputStream();
            long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Thread watchdog = new Thread(() -> closeAt(socket, endNs + TimeUnit.SECONDS.toNanos(WATCHDOG_SLACK_S)),
                "tcp-source-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            while (System.nanoTime() - endNs < 0) {
                out.write(chunk);
                written += chunk.length;
            }
            socket.shutdownOutput();
        }
        return written;
    }

    private static void closeAt(Socket socket, long deadlineNs) {
        while (!socket.isClosed() && System.nanoTime() - deadlineNs < 0) {
            LockSupport.parkNanos(Math.min(deadlineNs - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all it is for.
        }
    }
}
