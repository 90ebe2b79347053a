package io.shoal.bench.secure;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import java.util.HashMap;

/**
 * Handshake rate of a server {@link SecureEndpoint}: a client endpoint and a server endpoint exchange datagrams in
 * memory (no sockets, real crypto, real clock) until {@code count} connections are established, one at a time. The
 * figure is handshakes per second of server CPU time: only the time spent inside the server endpoint's calls is
 * counted (thread CPU time), so the client's half of the Diffie-Hellman work does not halve the result. Modes: IK (client pins the
 * server's key), XX (client learns it, three messages) and each with cookies demanded on every initiation (a
 * threshold of 0: the cookie round trip is added). Prints one line per run and the median of the runs.
 */
public final class HandshakeRateRun {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 40_001);

    /** Thread CPU time, not wall time: on a shared, loaded machine wall time would count other processes' turns. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final boolean pin;
    private final boolean cookies;
    private long serverNs;

    private HandshakeRateRun(final boolean pin, final boolean cookies) {
        this.pin = pin;
        this.cookies = cookies;
    }

    /** @param args {@code [count] [runs]}: handshakes per run (default 5000) and runs per mode (default 3) */
    public static void main(final String[] args) {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println(HandshakeFigures.x25519Backend());
        for (String mode : new String[] {"IK", "IK+cookie", "XX", "XX+cookie"}) {
            final double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                final HandshakeRateRun run = new HandshakeRateRun(mode.startsWith("IK"), mode.endsWith("cookie"));
                rates[i] = run.run(count);
                System.out.printf("%-10s run %d: %,.0f handshakes/s (server CPU)%n", mode, i + 1, rates[i]);
            }
            Arrays.sort(rates);
            System.out.printf("%-10s median: %,.0f handshakes/s%n", mode, rates[runs / 2]);
        }
    }

    private double run(final int count) {
        final SecureRandom random = new SecureRandom();
        final StaticIdentity serverId = StaticIdentity.generate(random);
        final RudpConfig.Builder common = RudpConfig.builder().maxConnections(count + 1)
                .cookieThreshold(cookies ? 0 : 65_536);
        final RudpConfig clientConfig = common.identity(StaticIdentity.generate(random))
                .policy(pin ? PeerKeyPolicy.pinned(serverId.publicKey())
                        : PeerKeyPolicy.learnOnFirstUse(new HashMap<>())).build();
        final RudpConfig serverConfig = clientConfig.toBuilder().identity(serverId)
                .policy(PeerKeyPolicy.acceptAny()).build();
        final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        serverNs = 0;
        int accepted = 0;
        try (SecureEndpoint client = new SecureEndpoint(clientConfig, false, alloc, random);
             SecureEndpoint server = new SecureEndpoint(serverConfig, true, alloc, random)) {
            for (int i = 0; i < count; i++) {
                final SecureConnection c = client.connect(System.nanoTime(), SERVER, "server");
                for (int rounds = 0; c.state() != SecureConnection.State.ESTABLISHED || accepted <= i; rounds++) {
                    if (rounds > 10) {
                        throw new IllegalStateException("handshake " + i + " did not complete: "
                                + server.stats());
                    }
                    accepted += exchange(client, server);
                }
                while (client.pollEvent() != null) {
                    // Established: nothing to do
                }
            }
        }
        if (accepted != count) {
            throw new IllegalStateException("server accepted " + accepted + " of " + count);
        }
        return count / (serverNs / 1e9);
    }

    /** Moves every pending datagram client to server and back once; @return connections the server accepted */
    private int exchange(final SecureEndpoint client, final SecureEndpoint server) {
        Transmit t;
        while ((t = client.pollTransmit()) != null) {
            final long start = CPU.getCurrentThreadCpuTime();
            server.handleDatagram(System.nanoTime(), CLIENT, t.datagram());
            serverNs += CPU.getCurrentThreadCpuTime() - start;
            t.datagram().release();
        }
        final long start = CPU.getCurrentThreadCpuTime();
        int accepted = 0;
        Transmit r;
        final List<Transmit> replies = new ArrayList<>();
        while ((r = server.pollTransmit()) != null) {
            replies.add(r);
        }
        SessionEvent e;
        while ((e = server.pollEvent()) != null) {
            if (e instanceof SessionEvent.Accepted) {
                accepted++;
            }
        }
        server.nextDeadlineNs();
        serverNs += CPU.getCurrentThreadCpuTime() - start;
        for (Transmit reply : replies) {
            client.handleDatagram(System.nanoTime(), SERVER, reply.datagram());
            reply.datagram().release();
        }
        return accepted;
    }
}
