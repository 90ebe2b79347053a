package io.shoal.bench.secure;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.session.RudpConfig;
import io.shoal.rudp.session.SecureConnection;
import io.shoal.rudp.session.IdleMemoryRelease;
import io.shoal.rudp.session.SecureEndpoint;
import io.shoal.rudp.session.SessionEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many mostly idle secure connections on one server socket: {@code n} client connections (one client socket) each
 * send a 100-byte message per second, spread evenly, for {@code seconds}. Prints the server thread's CPU time over
 * wall time (percent of one core; the client runs on another thread and is not counted) and the server's heap per
 * connection, measured after the client side is closed so only server state remains, two ways: all heap growth
 * (heap after GC with {@code n} connections minus heap after GC before any) over {@code n}, which includes the
 * socket's and the buffer pools' fixed costs; and the marginal cost, the heap freed when half the connections are
 * aborted and freed, over their number.
 */
public final class IdleConnectionsRun {
    private static final long SECOND = 1_000_000_000L;
    private static final int MESSAGE_BYTES = 100;

    private IdleConnectionsRun() {
    }

    /** @param args {@code [connections] [seconds] [cipher]}, default 10,000, 30 and AUTO ({@link CipherSuite}) */
    public static void main(final String[] args) throws Exception {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        final CipherSuite cipher = args.length > 2 ? CipherSuite.valueOf(args[2]) : CipherSuite.AUTO;
        final SecureRandom random = new SecureRandom();
        final StaticIdentity serverId = StaticIdentity.generate(random);
        final RudpConfig serverConfig = RudpConfig.builder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                .maxConnections(n + 16).idleTimeoutNs(600 * SECOND).cipherSuite(cipher).build();
        final RudpConfig clientConfig = serverConfig.toBuilder().identity(StaticIdentity.generate(random))
                .policy(PeerKeyPolicy.pinned(serverId.publicKey())).build();
        final long heapBefore = usedHeapAfterGc();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicLong serverCpuNs = new AtomicLong();
        final AtomicLong measureFromNs = new AtomicLong(Long.MAX_VALUE);
        final SecureEndpoint serverEndpoint = new SecureEndpoint(serverConfig, true, PooledByteBufAllocator.DEFAULT,
                random);
        final EndpointDriver server = new EndpointDriver(serverEndpoint, new InetSocketAddress("127.0.0.1", 0), e -> {
            if (e instanceof SessionEvent.Accepted) {
                accepted.incrementAndGet();
            }
        });
        final InetSocketAddress serverAddress = server.localAddress();
        final ServerThread serverThread = new ServerThread(server, serverCpuNs, measureFromNs);
        serverThread.start();
        final SecureConnection[] conns = new SecureConnection[n];
        try (EndpointDriver client = new EndpointDriver(new SecureEndpoint(clientConfig, false,
                PooledByteBufAllocator.DEFAULT, random), new InetSocketAddress("127.0.0.1", 0), e -> { })) {
            final long connectStart = System.nanoTime();
            int started = 0;
            while (accepted.get() < n) {
                for (int k = 0; k < 200 && started < n && started - accepted.get() < 1_000; k++) {
                    conns[started] = client.endpoint().connect(System.nanoTime(), serverAddress, "server");
                    started++;
                }
                client.flush();
                client.runOnce(System.nanoTime() + SECOND / 100);
                if (System.nanoTime() - connectStart > 300 * SECOND) {
                    throw new IllegalStateException("only " + accepted.get() + " of " + n + " accepted");
                }
            }
            System.out.printf("%,d connections established in %.1f s%n", n, (System.nanoTime() - connectStart) / 1e9);
            final long start = System.nanoTime();
            measureFromNs.set(start);
            final byte[] message = new byte[MESSAGE_BYTES];
            long sent = 0;
            final long endNs = start + seconds * SECOND;
            for (long now = start; now - endNs < 0; now = System.nanoTime()) {
                // connection i sends at start + (i / n) s + k s: an even spread over each second
                final long due = Math.min((long) ((now - start) / (double) SECOND * n), (long) seconds * n);
                for (; sent < due; sent++) {
                    final SecureConnection c = conns[(int) (sent % n)];
                    c.send(now, Unpooled.wrappedBuffer(message));
                }
                client.runOnce(Math.min(endNs, now + SECOND / 1_000));
            }
            final long wallNs = System.nanoTime() - start;
            serverThread.finish();
            System.out.printf("%,d connections x %d B/s for %d s, %s: server CPU %.1f%% of one core (%,d messages"
                    + " sent), %.1f us per datagram read%n", n, MESSAGE_BYTES, seconds, cipher.resolve(),
                    100.0 * serverCpuNs.get() / wallNs, sent, serverCpuNs.get() / 1e3 / serverThread.datagramsRead);
        }
        // Heap is measured on idle connections: ones quiet for longer than it takes them to give back what they
        // keep only while busy (the AES-GCM ciphers and the engine's pooled segments, IdleMemoryRelease).
        final long idleUntilNs = System.nanoTime() + IdleMemoryRelease.AFTER_NS + SECOND / 2;
        while (System.nanoTime() - idleUntilNs < 0) {
            server.runOnce(idleUntilNs);
        }
        // Only the server's state may remain reachable: the client's connections (closed above) go.
        Arrays.fill(conns, null);
        final long heapWith = usedHeapAfterGc();
        final int held = serverEndpoint.stats().connections();
        System.out.printf("server heap per connection: %,d B (%,d connections held)%n",
                (heapWith - heapBefore) / Math.max(1, held), held);
        final int freed = abortHalf(server, held);
        final long heapHalf = usedHeapAfterGc();
        System.out.printf("server heap per connection, marginal: %,d B (freed by aborting %,d of them)%n",
                (heapWith - heapHalf) / Math.max(1, freed), freed);
        server.close();
    }

    /**
     * Aborts every other server connection and drives the server until it has freed them. The heap this gives back
     * is what a connection costs by itself, without the socket's and the buffer pools' fixed costs (and without the
     * pool chunks the client, in this same JVM, left behind), which the all-growth figure spreads over {@code n}.
     *
     * @return connections freed
     */
    private static int abortHalf(final EndpointDriver server, final int held) throws java.io.IOException {
        final List<SecureConnection> all = new ArrayList<>(server.endpoint().connections());
        int aborted = 0;
        for (int i = 0; i < all.size(); i += 2) {
            all.get(i).abort(System.nanoTime(), "bench");
            aborted++;
        }
        final long deadline = System.nanoTime() + 30 * SECOND;
        while (server.endpoint().stats().connections() > held - aborted && System.nanoTime() - deadline < 0) {
            server.flush();
            server.runOnce(System.nanoTime() + SECOND / 100);
        }
        return held - server.endpoint().stats().connections();
    }

    private static long usedHeapAfterGc() {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Runs the server driver until {@link #finish}, adding its CPU time after {@code measureFromNs} up. */
    private static final class ServerThread extends Thread {
        private final EndpointDriver server;
        private final AtomicLong cpuNs;
        private final AtomicLong measureFromNs;
        private volatile boolean running = true;
        /** Datagrams the server read while measured; read after {@link #finish}. */
        long datagramsRead;

        ServerThread(final EndpointDriver server, final AtomicLong cpuNs, final AtomicLong measureFromNs) {
            super("idle-server");
            this.server = server;
            this.cpuNs = cpuNs;
            this.measureFromNs = measureFromNs;
        }

        void finish() throws InterruptedException {
            running = false;
            server.wakeup();
            join();
        }

        @Override
        public void run() {
            final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long cpuAtStart = -1;
            long[] loopAtStart = null;
            try {
                while (running) {
                    server.runOnce(System.nanoTime() + SECOND);
                    if (cpuAtStart < 0 && System.nanoTime() - measureFromNs.get() >= 0) {
                        cpuAtStart = cpu.getCurrentThreadCpuTime();
                        loopAtStart = server.loopCounts();
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            cpuNs.set(cpu.getCurrentThreadCpuTime() - cpuAtStart);
            final long[] loop = server.loopCounts();
            datagramsRead = loop[2] - loopAtStart[2];
            System.out.printf("server loop: %,d passes (%,d without waiting), %,d datagrams read%n",
                    loop[0] - loopAtStart[0], loop[1] - loopAtStart[1], datagramsRead);
        }
    }
}
