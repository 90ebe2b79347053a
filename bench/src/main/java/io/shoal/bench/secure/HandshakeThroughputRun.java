package io.shoal.bench.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.packet.ResponderHandshake;
import io.shoal.rudp.packet.SecurePacketType;
import io.shoal.rudp.session.HandshakeWorkers;
import io.shoal.rudp.session.RudpConfig;
import io.shoal.rudp.session.SecureEndpoint;
import io.shoal.rudp.session.SessionEvent;
import io.shoal.rudp.session.Transmit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Total handshakes per second (wall clock) a server {@link SecureEndpoint} accepts with many handshakes in flight,
 * its Diffie-Hellman work on {@code workers} {@link HandshakeWorkers} threads (0: inline, the way it was before
 * offloading). The server runs as on a socket: one thread taking datagrams and finished handshakes from a queue (an
 * event loop), no sockets. The client is made as cheap as it can be, since it shares the cores: all initiations are
 * made before the clock starts, cookie replies are answered (one MAC), and for IK the server's RESPONSE is only
 * counted, not processed (the server's connection is complete at that point); XX needs the client's message 3, so
 * there the client does its half of the Diffie-Hellman work in the timed part, on its own thread, and its CPU is
 * printed beside. Also printed: server CPU per handshake (event-loop thread plus workers, thread CPU time).
 */
public final class HandshakeThroughputRun {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 40_001);
    /** Handshakes in flight at most: enough to keep every worker busy, well under the half-open cap. */
    private static final int WINDOW = 256;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final boolean pin;
    private final boolean cookies;
    private final int workers;
    private final LinkedBlockingQueue<Runnable> serverTasks = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Transmit> toClient = new LinkedBlockingQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long serverLoopCpuNs;

    private HandshakeThroughputRun(final boolean pin, final boolean cookies, final int workers) {
        this.pin = pin;
        this.cookies = cookies;
        this.workers = workers;
    }

    /** @param args {@code [count] [runs] [workers]}: handshakes per run (5000), runs per mode (3), workers (cores) */
    public static void main(final String[] args) throws Exception {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int workers = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        System.out.printf("%d handshake workers (0 = inline on the server thread), %d cores%n", workers,
                Runtime.getRuntime().availableProcessors());
        for (String mode : new String[] {"IK", "IK+cookie", "XX", "XX+cookie"}) {
            final double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = new HandshakeThroughputRun(mode.startsWith("IK"), mode.endsWith("cookie"), workers)
                        .run(mode, i + 1, count);
            }
            Arrays.sort(rates);
            System.out.printf("%-10s median: %,.0f handshakes/s%n", mode, rates[runs / 2]);
        }
    }

    private double run(final String mode, final int runNumber, final int count) throws Exception {
        final SecureRandom random = new SecureRandom();
        final StaticIdentity serverId = StaticIdentity.generate(random);
        final RudpConfig clientConfig = RudpConfig.builder().maxConnections(count + 1)
                .identity(StaticIdentity.generate(random)).policy(pin ? PeerKeyPolicy.pinned(serverId.publicKey())
                        : PeerKeyPolicy.learnOnFirstUse(new HashMap<>())).build();
        final RudpConfig serverConfig = clientConfig.toBuilder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                .cookieThreshold(cookies ? 0 : 65_536).handshakeWorkers(workers).build();
        final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        final SecureEndpoint client = new SecureEndpoint(clientConfig, false, alloc, random);
        final List<ByteBuf> initiations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) { // before the clock: the client's key generation and its first DH
            client.connect(0, SERVER, "server");
            initiations.add(client.pollTransmit().datagram());
        }
        final SecureEndpoint[] server = new SecureEndpoint[1];
        final HandshakeWorkers pool = workers == 0 ? null : new HandshakeWorkers(workers, 4 * WINDOW,
                job -> serverTasks.add(() -> server[0].handleComputedHandshake(System.nanoTime(), job)));
        server[0] = new SecureEndpoint(serverConfig, true, alloc, random, pool == null ? null : pool.offload());
        final Thread loop = new Thread(() -> serverLoop(server[0]), "handshake-server");
        final long start = System.nanoTime();
        loop.start();
        final long clientCpu0 = CPU.getCurrentThreadCpuTime();
        int sent = 0;
        while (accepted.get() < count) {
            for (; sent < count && sent - accepted.get() < WINDOW; sent++) {
                final ByteBuf d = initiations.get(sent);
                serverTasks.add(() -> deliver(server[0], d));
            }
            Transmit t = toClient.poll(1, TimeUnit.MILLISECONDS); // blocks: a spinning client would take a core
            if (t == null) {
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                    throw new IllegalStateException(mode + ": " + accepted.get() + " of " + count + " accepted");
                }
                continue;
            }
            for (; t != null; t = toClient.poll()) {
                final ByteBuf d = t.datagram();
                final SecurePacketType type = SecurePacketType.of(d.getUnsignedByte(d.readerIndex()));
                if (type == SecurePacketType.COOKIE_REPLY || (!pin && type == SecurePacketType.RESPONSE)) {
                    client.handleDatagram(System.nanoTime(), SERVER, d);
                }
                d.release();
            }
            Transmit out;
            while ((out = client.pollTransmit()) != null) { // initiations with mac2, FINISHes
                final ByteBuf d = out.datagram();
                serverTasks.add(() -> deliver(server[0], d));
            }
            while (client.pollEvent() != null) {
                // Established: nothing to do
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long clientCpuNs = CPU.getCurrentThreadCpuTime() - clientCpu0;
        final long workerCpuNs = pool == null ? 0 : workerCpuNs(pool.threadNamePrefix());
        serverTasks.add(() -> Thread.currentThread().interrupt());
        loop.join();
        if (pool != null) {
            pool.close();
        }
        server[0].close();
        client.close();
        Transmit t;
        while ((t = toClient.poll()) != null) {
            t.datagram().release();
        }
        final double rate = count / seconds;
        System.out.printf("%-10s run %d: %,.0f handshakes/s; server CPU %.0f us/handshake (event loop %.0f, workers"
                        + " %.0f); client CPU %.0f us/handshake%n", mode, runNumber, rate,
                (serverLoopCpuNs + workerCpuNs) / 1e3 / count, serverLoopCpuNs / 1e3 / count,
                workerCpuNs / 1e3 / count, clientCpuNs / 1e3 / count);
        return rate;
    }

    private static void deliver(final SecureEndpoint server, final ByteBuf datagram) {
        server.handleDatagram(System.nanoTime(), CLIENT, datagram);
        datagram.release();
    }

    /** The server's event loop: runs queued inputs, then drains the endpoint as a socket shell would. */
    private void serverLoop(final SecureEndpoint server) {
        final long cpu0 = CPU.getCurrentThreadCpuTime();
        try {
            while (true) {
                Runnable task = serverTasks.take();
                do {
                    task.run();
                } while ((task = serverTasks.poll()) != null);
                Transmit t;
                while ((t = server.pollTransmit()) != null) {
                    toClient.add(t);
                }
                SessionEvent e;
                while ((e = server.pollEvent()) != null) {
                    if (e instanceof SessionEvent.Accepted) {
                        accepted.incrementAndGet();
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            serverLoopCpuNs = CPU.getCurrentThreadCpuTime() - cpu0;
        }
    }

    /** @return CPU time of the pool's threads so far */
    private static long workerCpuNs(final String prefix) {
        long ns = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                ns += Math.max(0, CPU.getThreadCpuTime(t.getId()));
            }
        }
        return ns;
    }
}
