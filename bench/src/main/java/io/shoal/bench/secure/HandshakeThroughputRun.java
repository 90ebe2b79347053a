package io.shoal.bench.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticDhCache;
import io.shoal.rudp.crypto.StaticIdentity;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many handshakes a server {@link SecureEndpoint} accepts, with many in flight and its Diffie-Hellman work on
 * {@code workers} {@link HandshakeWorkers} threads (0: inline on the server thread). The server runs as on a socket:
 * one thread taking datagrams and finished handshakes from a queue (an event loop), no sockets. A handshake counts
 * as accepted when the server has done its side and created the connection ({@link SessionEvent.Accepted}).
 *
 * <p>On a small machine the load generator competes with the server for the same cores, so the wall-clock rate
 * understates the server. The load is therefore made as cheap as the protocol allows: every INITIATION is made
 * before the clock starts, cookie replies are answered (one MAC), and in the plain IK modes the server's RESPONSE is
 * only counted. {@link HandshakeMode#clientsFinish} modes keep real clients: they process every RESPONSE (IK: two
 * more DH each) and, for XX, must, since the server needs their message 3. Two figures per run: the wall rate, and
 * the server's capacity, handshakes per second of server thread CPU time (event loop plus workers), which is what
 * the server could accept on a core of its own whatever the load generator costs.
 *
 * <p>{@code peers} distinct client identities make the handshakes, round robin: with as many peers as handshakes
 * every one is a new peer (the server's static-static DH cache misses), with 1 every handshake after the first
 * comes from a returning peer (cache hits, WireGuard's precomputed {@code ss}).
 */
public final class HandshakeThroughputRun {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 40_001);
    /** Client addresses are 10.x.y.z:40000, one per peer, so the server's replies find their client. */
    private static final int CLIENT_PORT = 40_000;
    /** Handshakes in flight at most: enough to keep every worker busy, well under the half-open cap. */
    private static final int WINDOW = 256;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Runs per mode before the counted ones. */
    private static final int WARMUP_RUNS = 2;

    private final HandshakeMode mode;
    private final int workers;
    private final LinkedBlockingQueue<Runnable> serverTasks = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Transmit> toClient = new LinkedBlockingQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long serverLoopCpuNs;

    private HandshakeThroughputRun(final HandshakeMode mode, final int workers) {
        this.mode = mode;
        this.workers = workers;
    }

    /**
     * @param args {@code [count] [runs] [workers] [peers] [modes]}: handshakes per run (5000), counted runs per mode
     *             after two warm-up runs (3), workers (cores), distinct client identities (= count: all new peers),
     *             modes (all, or a comma list of IK, IK+cookie, IK+finish, XX, XX+cookie)
     */
    public static void main(final String[] args) throws Exception {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int cores = Runtime.getRuntime().availableProcessors();
        final int workers = args.length > 2 ? Integer.parseInt(args[2]) : cores;
        final int peers = args.length > 3 ? Math.min(count, Integer.parseInt(args[3])) : count;
        final List<HandshakeMode> modes = HandshakeMode.parse(args.length > 4 ? args[4] : "all");
        System.out.printf("%,d handshakes per run from %,d client identities (%s); %d handshake workers (0 = inline"
                + " on the server thread); %d cores%n", count, peers, peers == count ? "all new peers: the"
                + " server's static-static DH cache misses" : "returning peers: the cache hits", workers, cores);
        System.out.println(HandshakeFigures.x25519Backend());
        System.out.println("wall = accepted handshakes / elapsed time, load generator on the same cores;"
                + " capacity = accepted handshakes / server CPU-seconds (event loop + workers): per core, and x"
                + cores + " for " + cores + " cores");
        for (HandshakeMode mode : modes) {
            // JMH's way: the JIT is still compiling the handshake path in a JVM's first runs (a fifth more CPU per
            // handshake in the first 3,000, 5-8% in the next), so warm-up runs of the same size go first, printed
            // but not counted.
            for (int i = 1; i <= WARMUP_RUNS; i++) {
                System.out.println(new HandshakeThroughputRun(mode, workers).run(count, peers)
                        .line(mode.label() + " warm-up " + i, cores) + " (not counted)");
            }
            final HandshakeFigures[] figures = new HandshakeFigures[runs];
            for (int i = 0; i < runs; i++) {
                figures[i] = new HandshakeThroughputRun(mode, workers).run(count, peers);
                System.out.println(figures[i].line(mode.label() + " run " + (i + 1), cores));
            }
            System.out.println(HandshakeFigures.median(figures).line(mode.label() + " median", cores));
        }
    }

    private HandshakeFigures run(final int count, final int peers) throws Exception {
        final SecureRandom random = new SecureRandom();
        final StaticIdentity serverId = StaticIdentity.generate(random);
        final RudpConfig base = RudpConfig.builder().maxConnections(count + 1).build();
        final RudpConfig serverConfig = base.toBuilder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                .cookieThreshold(mode.cookies() ? 0 : 65_536).handshakeWorkers(workers).build();
        final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        final Map<InetSocketAddress, SecureEndpoint> clients = new HashMap<>();
        final List<InetSocketAddress> clientAddresses = new ArrayList<>(peers);
        for (int p = 0; p < peers; p++) {
            final RudpConfig clientConfig = base.toBuilder().identity(StaticIdentity.generate(random))
                    .policy(mode.pin() ? PeerKeyPolicy.pinned(serverId.publicKey())
                            : PeerKeyPolicy.learnOnFirstUse(new HashMap<>())).build();
            final InetSocketAddress a = new InetSocketAddress("10." + (p >>> 16 & 0xFF) + "." + (p >>> 8 & 0xFF)
                    + "." + (p & 0xFF), CLIENT_PORT);
            clients.put(a, new SecureEndpoint(clientConfig, false, alloc, random));
            clientAddresses.add(a);
        }
        final List<ByteBuf> initiations = new ArrayList<>(count);
        final List<InetSocketAddress> senders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) { // before the clock: the clients' key generation and their first DH
            final InetSocketAddress a = clientAddresses.get(i % peers);
            final SecureEndpoint client = clients.get(a);
            client.connect(0, SERVER, "server");
            initiations.add(client.pollTransmit().datagram());
            senders.add(a);
        }
        final SecureEndpoint[] server = new SecureEndpoint[1];
        final HandshakeWorkers pool = workers == 0 ? null : new HandshakeWorkers(workers, 4 * WINDOW,
                job -> serverTasks.add(() -> server[0].handleComputedHandshake(System.nanoTime(), job)));
        server[0] = new SecureEndpoint(serverConfig, true, alloc, random, pool == null ? null : pool.offload());
        final Thread loop = new Thread(() -> serverLoop(server[0]), "handshake-server");
        loop.setDaemon(true); // a run that fails must not leave the JVM waiting on this thread
        final long start = System.nanoTime();
        loop.start();
        final long clientCpu0 = CPU.getCurrentThreadCpuTime();
        int sent = 0;
        int established = 0;
        final Set<InetSocketAddress> touched = new LinkedHashSet<>();
        final int wanted = mode.clientsFinish() ? count : 0;
        while (accepted.get() < count || established < wanted) {
            for (; sent < count && sent - accepted.get() < WINDOW; sent++) {
                final ByteBuf d = initiations.get(sent);
                final InetSocketAddress from = senders.get(sent);
                serverTasks.add(() -> deliver(server[0], from, d));
            }
            Transmit t = toClient.poll(1, TimeUnit.MILLISECONDS); // blocks: a spinning client would take a core
            if (t == null) {
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                    // e.g. a handshake that outlived its timeout on a starved machine: nothing retransmits here
                    throw new IllegalStateException(mode.label() + ": " + accepted.get() + " of " + count
                            + " accepted, " + established + " established after 120 s");
                }
                continue;
            }
            for (; t != null; t = toClient.poll()) {
                final ByteBuf d = t.datagram();
                final SecurePacketType type = SecurePacketType.of(d.getUnsignedByte(d.readerIndex()));
                if (type == SecurePacketType.COOKIE_REPLY
                        || (mode.clientsFinish() && type == SecurePacketType.RESPONSE)) {
                    clients.get(t.destination()).handleDatagram(System.nanoTime(), SERVER, d);
                    touched.add(t.destination());
                }
                d.release();
            }
            for (InetSocketAddress a : touched) {
                established += drainClient(server[0], a, clients.get(a));
            }
            touched.clear();
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
        for (SecureEndpoint c : clients.values()) {
            c.close();
        }
        Transmit t;
        while ((t = toClient.poll()) != null) {
            t.datagram().release();
        }
        final StaticDhCache.Stats cache = serverId.keyPair().staticDhStats();
        return new HandshakeFigures(count / seconds, serverLoopCpuNs / 1e3 / count, workerCpuNs / 1e3 / count,
                clientCpuNs / 1e3 / count, cache.hits(), cache.misses());
    }

    /** Sends a client's queued datagrams (initiations with mac2, FINISHes); @return connections it established */
    private int drainClient(final SecureEndpoint server, final InetSocketAddress from, final SecureEndpoint client) {
        Transmit out;
        while ((out = client.pollTransmit()) != null) {
            final ByteBuf d = out.datagram();
            serverTasks.add(() -> deliver(server, from, d));
        }
        int established = 0;
        SessionEvent e;
        while ((e = client.pollEvent()) != null) {
            if (e instanceof SessionEvent.Established) {
                established++;
            }
        }
        return established;
    }

    private static void deliver(final SecureEndpoint server, final InetSocketAddress from, final ByteBuf datagram) {
        server.handleDatagram(System.nanoTime(), from, datagram);
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
