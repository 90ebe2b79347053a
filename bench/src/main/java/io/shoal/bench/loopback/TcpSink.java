package io.shoal.bench.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP server on 127.0.0.1 that reads and counts every byte sent to it after an optional warm-up, remembering
 * when the first and the last counted byte arrived. It stands for the application behind the tunnel. Threads are
 * daemons; {@link #close()} stops them.
 */
final class TcpSink implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong firstByteNs = new AtomicLong();
    private final AtomicLong firstCountedNs = new AtomicLong();
    private final AtomicLong lastByteNs = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();

    private final long omitNs;

    /** @param omitNs bytes arriving within this long of the first byte are not counted (warm-up, as perf --omit) */
    TcpSink(long omitNs) throws IOException {
        this.omitNs = omitNs;
        server = new ServerSocket(0, 16, LocalPorts.LOOPBACK);
        Thread acceptor = new Thread(this::acceptLoop, "tcp-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long bytes() {
        return bytes.get();
    }

    /** Nanoseconds from the first to the last counted byte, or 0 if fewer than two counted reads happened. */
    long spanNs() {
        return firstCountedNs.get() == 0 ? 0 : lastByteNs.get() - firstCountedNs.get();
    }

    /**
     * Waits until every accepted connection has reached end of stream, or no byte arrived for {@code quietMs},
     * or {@code timeoutMs} passed.
     */
    void awaitDrained(long quietMs, long timeoutMs) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long quietNs = TimeUnit.MILLISECONDS.toNanos(quietMs);
        long lastCount = -1;
        long lastChangeNs = System.nanoTime();
        while (System.nanoTime() - deadlineNs < 0) {
            if (openConnections.get() > 0 && closedConnections.get() == openConnections.get()) {
                return;
            }
            long count = bytes.get();
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChangeNs = now;
            } else if (count > 0 && now - lastChangeNs > quietNs) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                openConnections.incrementAndGet();
                Thread reader = new Thread(() -> drain(socket), "tcp-sink-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void drain(Socket socket) {
        byte[] buffer = new byte[256 * 1024];
        try (socket; InputStream in = socket.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long now = System.nanoTime();
                firstByteNs.compareAndSet(0, now);
                if (now - firstByteNs.get() < omitNs) {
                    continue;
                }
                firstCountedNs.compareAndSet(0, now);
                lastByteNs.set(now);
                bytes.addAndGet(n);
            }
        } catch (IOException e) {
            // A reset at the end of a run ends the count like a close does.
        } finally {
            closedConnections.incrementAndGet();
        }
    }
}
