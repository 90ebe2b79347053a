package io.shoal.rudp.perf;

import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.netty.RawKcpTransport;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The receiving side of {@code shoal perf}: a raw-profile socket that accepts any client conversation, counts the
 * DATA bytes its application receives, reports progress once a second and a summary after END. Several clients may
 * run at once (up to {@value #MAX_CLIENTS}); each is independent. Thread-safe; {@link #close()} stops it.
 */
public final class PerfServer implements AutoCloseable {
    static final int MAX_CLIENTS = 64;
    /** A client that vanishes without END is dropped after this long without input. */
    static final long IDLE_TIMEOUT_MS = 15_000;

    private final RawKcpEndpoint endpoint;

    private PerfServer(RawKcpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds {@code local} and starts serving. {@code log} receives one line per finished or failed test, on the
     * socket's event loop.
     */
    public static PerfServer start(InetSocketAddress local, PerfSettings settings, Consumer<String> log)
        throws InterruptedException {
        RawKcpConfig config = settings.socketConfig()
            .maxConversations(MAX_CLIENTS)
            .idleTimeoutMs(IDLE_TIMEOUT_MS)
            .acceptor(connection -> new PerfServerSession(connection, log))
            .build();
        return new PerfServer(RawKcpEndpoint.bind(local, config));
    }

    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /** The transport the socket runs on (never {@code AUTO}). */
    public RawKcpTransport transport() {
        return endpoint.transport();
    }

    /** Datagrams dropped as malformed so far. */
    public long malformedDatagrams() {
        return endpoint.handler().malformedDatagrams();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
