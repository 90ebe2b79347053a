package io.shoal.bench.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.session.RudpConfig;
import io.shoal.rudp.session.SecureConnection;
import io.shoal.rudp.session.SecureEndpoint;
import io.shoal.rudp.session.SessionEvent;
import io.shoal.rudp.session.Transmit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server's CPU per message of {@code n} mostly idle connections, in memory on a virtual clock: the same load as
 * {@link IdleConnectionsRun} (each connection sends a 100-byte message per second, spread evenly) without sockets
 * or wall time, so neighbours on a shared machine change the figure far less. Only the server endpoint's calls
 * count (thread CPU time): its input, timers and drain. Prints each run and the median.
 */
public final class IdleMessageCostRun {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 40_001);
    private static final long SECOND = 1_000_000_000L;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final SecureEndpoint client;
    private final SecureEndpoint server;
    private final byte[] message = new byte[100];
    private final List<Transmit> replies = new ArrayList<>();
    private long nowNs = 1;
    private long serverCpuNs;

    private IdleMessageCostRun(final int n, final CipherSuite cipher) {
        final SecureRandom random = new SecureRandom();
        final StaticIdentity serverId = StaticIdentity.generate(random);
        final RudpConfig serverConfig = RudpConfig.builder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                .maxConnections(n + 16).idleTimeoutNs(600 * SECOND).cipherSuite(cipher).build();
        final RudpConfig clientConfig = serverConfig.toBuilder().identity(StaticIdentity.generate(random))
                .policy(PeerKeyPolicy.pinned(serverId.publicKey())).build();
        client = new SecureEndpoint(clientConfig, false, PooledByteBufAllocator.DEFAULT, random);
        server = new SecureEndpoint(serverConfig, true, PooledByteBufAllocator.DEFAULT, random);
    }

    /**
     * @param args {@code [connections] [seconds] [runs] [cipher]}: default 10,000 connections, 30 virtual seconds,
     *     3 runs, AUTO ({@link CipherSuite})
     */
    public static void main(final String[] args) {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final CipherSuite cipher = args.length > 3 ? CipherSuite.valueOf(args[3]) : CipherSuite.AUTO;
        final double[] perMessageUs = new double[runs];
        for (int i = 0; i < runs; i++) {
            final IdleMessageCostRun run = new IdleMessageCostRun(n, cipher);
            perMessageUs[i] = run.measure(n, seconds);
            System.out.printf("run %d: %,d connections x 100 B/s, %d s virtual, %s: server %.2f us CPU per message"
                    + " (%.1f%% of one core at that rate)%n", i + 1, n, seconds, cipher.resolve(), perMessageUs[i],
                    perMessageUs[i] * n / 1e4);
        }
        Arrays.sort(perMessageUs);
        System.out.printf("median: %.2f us server CPU per message%n", perMessageUs[runs / 2]);
    }

    private double measure(final int n, final int seconds) {
        try {
            final SecureConnection[] conns = new SecureConnection[n];
            for (int i = 0; i < n; i++) {
                conns[i] = client.connect(nowNs, SERVER, "server");
            }
            for (int round = 0; round < 20 && server.stats().connections() < n; round++) {
                nowNs += SECOND / 1000;
                step();
            }
            if (server.stats().connections() < n) {
                throw new IllegalStateException("only " + server.stats().connections() + " of " + n + " accepted");
            }
            for (int s = 0; s < 5; s++) { // let handshake leftovers and the first ACK ticks settle
                nowNs += SECOND / 10;
                step();
            }
            send(conns, 5L * n); // warm-up: the JIT compiles the data path
            serverCpuNs = 0;
            final long messages = (long) seconds * n;
            send(conns, messages);
            return serverCpuNs / 1e3 / messages;
        } finally {
            client.close();
            server.close();
        }
    }

    /** Sends {@code messages} messages round-robin, one every 1/n virtual second. */
    private void send(final SecureConnection[] conns, final long messages) {
        for (long k = 0; k < messages; k++) {
            nowNs += SECOND / conns.length;
            conns[(int) (k % conns.length)].send(nowNs, Unpooled.wrappedBuffer(message));
            step();
        }
    }

    /** Client timers and output to the server; server timers, output back; only the server's part is timed. */
    private void step() {
        if (client.nextDeadlineNs() - nowNs <= 0) {
            client.handleTimeout(nowNs);
        }
        drainEvents(client);
        Transmit t;
        while ((t = client.pollTransmit()) != null) {
            final long c0 = CPU.getCurrentThreadCpuTime();
            server.handleDatagram(nowNs, CLIENT, t.datagram());
            serverCpuNs += CPU.getCurrentThreadCpuTime() - c0;
            t.datagram().release();
        }
        final long c0 = CPU.getCurrentThreadCpuTime();
        if (server.nextDeadlineNs() - nowNs <= 0) {
            server.handleTimeout(nowNs);
        }
        Transmit r;
        while ((r = server.pollTransmit()) != null) {
            replies.add(r);
        }
        drainEvents(server);
        server.nextDeadlineNs();
        serverCpuNs += CPU.getCurrentThreadCpuTime() - c0;
        for (int i = 0; i < replies.size(); i++) {
            client.handleDatagram(nowNs, SERVER, replies.get(i).datagram());
            replies.get(i).datagram().release();
        }
        replies.clear();
    }

    private static void drainEvents(final SecureEndpoint e) {
        SessionEvent ev;
        while ((ev = e.pollEvent()) != null) {
            if (ev instanceof SessionEvent.Readable rd) {
                ByteBuf m;
                while ((m = rd.connection().pollMessage()) != null) {
                    m.release();
                }
            } else if (ev instanceof SessionEvent.Foreign f) {
                f.datagram().release();
            }
        }
    }
}
