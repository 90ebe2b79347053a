package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.SendResult;
import io.shoal.rudp.packet.ResponderHandshake;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server endpoint whose handshake work goes through a {@link HandshakeOffload}, sans-IO: the test holds the queued
 * jobs and decides when (and in which order) they run and come back, so the interleavings a worker pool produces
 * (a copy of an initiation arriving while its work runs, completions out of order, work finishing after the
 * handshake expired, a full queue) are replayed deterministically.
 */
class HandshakeOffloadSimTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SERVER = SessionSimSide.SERVER_ADDRESS;
    private static final InetSocketAddress CLIENT_A = new InetSocketAddress("198.51.100.1", 40000);
    private static final InetSocketAddress CLIENT_B = new InetSocketAddress("198.51.100.2", 40001);

    private final List<ResponderHandshake> queued = new ArrayList<>();
    private boolean refuse;

    private final class Fixture implements AutoCloseable {
        final SecureEndpoint server;
        final SecureEndpoint clientA;
        final SecureEndpoint clientB;

        Fixture(final long seed, final boolean pin, final int cookieThreshold) {
            final StaticIdentity serverId = StaticIdentity.generate(SessionSimSide.seeded(seed));
            final RudpConfig serverConfig = RudpConfig.builder().identity(serverId).policy(PeerKeyPolicy.acceptAny())
                    .cookieThreshold(cookieThreshold).build();
            server = new SecureEndpoint(serverConfig, true, ByteBufAllocator.DEFAULT, SessionSimSide.seeded(seed + 1),
                    job -> !refuse && queued.add(job));
            clientA = client(serverId, pin, seed + 2);
            clientB = client(serverId, pin, seed + 3);
        }

        private SecureEndpoint client(final StaticIdentity serverId, final boolean pin, final long seed) {
            final RudpConfig c = RudpConfig.builder().identity(StaticIdentity.generate(SessionSimSide.seeded(seed)))
                    .policy(pin ? PeerKeyPolicy.pinned(serverId.publicKey())
                            : PeerKeyPolicy.learnOnFirstUse(new HashMap<>())).build();
            return new SecureEndpoint(c, false, ByteBufAllocator.DEFAULT, SessionSimSide.seeded(seed));
        }

        @Override
        public void close() {
            server.close();
            clientA.close();
            clientB.close();
        }
    }

    @Test
    void shouldRefuseACopyOfAnInFlightInitiationAndAnswerAReplayFromTheCacheWhenIkIsOffloaded() {
        final long seed = SimSeeds.resolve(0x0FF1_0001L);
        try (Fixture f = new Fixture(seed, true, 65_536)) {
            f.clientA.connect(0, SERVER, "server");
            final ByteBuf initiation = f.clientA.pollTransmit().datagram();
            try {
                f.server.handleDatagram(MS, CLIENT_A, initiation.duplicate());
                assertEquals(1, queued.size(), "admitted, its work queued");
                assertNull(f.server.pollTransmit(), "nothing is sent before the work is done");

                f.server.handleDatagram(2 * MS, CLIENT_A, initiation.duplicate()); // the client's retransmission
                assertEquals(1, queued.size(), "a copy in flight is not admitted twice");
                assertEquals(1, f.server.stats().drops(DropReason.HANDSHAKE_IN_PROGRESS));

                final ResponderHandshake job = queued.remove(0);
                job.compute();
                f.server.handleComputedHandshake(3 * MS, job);
                final Transmit response = f.server.pollTransmit();
                assertEquals(CLIENT_A, response.destination());
                final byte[] responseBytes = ByteBufUtil.getBytes(response.datagram());
                assertEquals(1, accepted(f.server));
                assertEquals(1, f.server.stats().connections());

                f.server.handleDatagram(4 * MS, CLIENT_A, initiation.duplicate()); // a replay after completion
                final Transmit again = f.server.pollTransmit();
                assertArrayEquals(responseBytes, ByteBufUtil.getBytes(again.datagram()), "the cached response");
                again.datagram().release();
                assertTrue(queued.isEmpty(), "a replay costs no Diffie-Hellman work");
                assertEquals(0, accepted(f.server), "and makes no second connection");
                assertEquals(1, f.server.stats().connections());

                f.clientA.handleDatagram(5 * MS, SERVER, response.datagram());
                response.datagram().release();
                final SessionEvent e = f.clientA.pollEvent();
                assertTrue(e instanceof SessionEvent.Established, "client established: " + e);
            } finally {
                initiation.release();
            }
        }
    }

    @Test
    void shouldEstablishBothWhenXxWorkWithCookiesCompletesOutOfOrder() {
        final long seed = SimSeeds.resolve(0x0FF1_0002L);
        try (Fixture f = new Fixture(seed, false, 0)) {
            f.clientA.connect(0, SERVER, "server");
            f.clientB.connect(0, SERVER, "server");
            long now = MS;
            for (int round = 0; round < 6; round++, now += MS) {
                move(f.clientA, f.server, CLIENT_A, now);
                move(f.clientB, f.server, CLIENT_B, now);
                for (int i = queued.size() - 1; i >= 0; i--) { // the later-admitted handshake finishes first
                    final ResponderHandshake job = queued.remove(i);
                    job.compute();
                    f.server.handleComputedHandshake(now, job);
                }
                moveReplies(f, now);
            }
            assertEquals(2, f.server.stats().connections());
            assertEquals(2, f.server.stats().cookiesSent(), "each initiation was sent back for a cookie first");
            assertEquals(0, f.server.stats().halfOpen());
            assertEquals(2, accepted(f.server));
            for (SecureEndpoint client : new SecureEndpoint[] {f.clientA, f.clientB}) {
                final SecureConnection c = client.connections().iterator().next();
                assertEquals(SecureConnection.State.ESTABLISHED, c.state());
            }
        }
    }

    @Test
    void shouldForgetTheHandshakeWhenTheQueueIsFullOrTheWorkOutlivesTheTimeout() {
        final long seed = SimSeeds.resolve(0x0FF1_0003L);
        try (Fixture f = new Fixture(seed, true, 65_536)) {
            f.clientA.connect(0, SERVER, "server");
            final ByteBuf initiation = f.clientA.pollTransmit().datagram();
            try {
                refuse = true;
                f.server.handleDatagram(MS, CLIENT_A, initiation.duplicate());
                assertEquals(1, f.server.stats().drops(DropReason.HANDSHAKE_QUEUE_FULL));
                assertEquals(0, f.server.stats().halfOpen(), "a refused job leaves no state");

                refuse = false;
                f.server.handleDatagram(2 * MS, CLIENT_A, initiation.duplicate()); // the retransmission is admitted
                assertEquals(1, queued.size());
                assertEquals(1, f.server.stats().halfOpen());
                final ResponderHandshake late = queued.remove(0);
                late.compute();
                final long afterTimeout = 2 * MS + RudpConfig.builder().build().handshake().handshakeTimeoutNs();
                f.server.handleTimeout(afterTimeout);
                assertEquals(0, f.server.stats().halfOpen(), "expired while its work ran");
                f.server.handleComputedHandshake(afterTimeout, late);
                assertNull(f.server.pollTransmit(), "no response for a forgotten handshake");
                assertEquals(0, f.server.stats().connections());
                assertEquals(0, accepted(f.server));
            } finally {
                initiation.release();
            }
        }
    }

    @Test
    void shouldDeliverDataThatOvertakesItsFinishWithoutWaitingForARetransmission() {
        final long seed = SimSeeds.resolve(0x0FF1_0004L);
        final byte[] payload = "first bytes, sent with FINISH".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Fixture f = new Fixture(seed, false, 65_536)) { // XX: the client does not know the server's key
            f.clientA.connect(0, SERVER, "server");
            move(f.clientA, f.server, CLIENT_A, MS);
            runQueued(f.server, 2 * MS);
            moveReplies(f, 3 * MS); // the RESPONSE: the client is established and owes FINISH
            final SecureConnection client = f.clientA.connections().iterator().next();
            assertEquals(SecureConnection.State.ESTABLISHED, client.state());
            assertEquals(SendResult.QUEUED, client.send(3 * MS, Unpooled.wrappedBuffer(payload)));

            move(f.clientA, f.server, CLIENT_A, 30 * MS); // FINISH, then the DATA (the engine's first flush) behind it
            assertEquals(1, queued.size(), "FINISH's work is on the offload");
            assertEquals(0, f.server.stats().connections(), "no connection for the DATA to find yet");
            assertEquals(0, f.server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID), "the DATA was parked");

            runQueued(f.server, 31 * MS);
            final SecureConnection server = f.server.connections().iterator().next();
            final ByteBuf got = server.pollMessage();
            try {
                assertArrayEquals(payload, ByteBufUtil.getBytes(got), "replayed at once, no retransmission needed");
            } finally {
                got.release();
            }
            assertEquals(0, f.server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID));
        }
    }

    @Test
    void shouldReleaseParkedDataWhenTheEndpointClosesBeforeTheFinishIsComputed() {
        final long seed = SimSeeds.resolve(0x0FF1_0005L);
        try (Fixture f = new Fixture(seed, false, 65_536)) {
            f.clientA.connect(0, SERVER, "server");
            move(f.clientA, f.server, CLIENT_A, MS);
            runQueued(f.server, 2 * MS);
            moveReplies(f, 3 * MS);
            f.clientA.connections().iterator().next().send(3 * MS, Unpooled.wrappedBuffer(new byte[100]));
            move(f.clientA, f.server, CLIENT_A, 30 * MS);
            assertEquals(0, f.server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID), "parked");
            queued.clear(); // the work never comes back; closing the fixture must still free the parked copy
        }
    }

    /** Computes every queued job and hands it back to {@code server}. */
    private void runQueued(final SecureEndpoint server, final long nowNs) {
        while (!queued.isEmpty()) {
            final ResponderHandshake job = queued.remove(0);
            job.compute();
            server.handleComputedHandshake(nowNs, job);
        }
    }

    /** Moves every datagram {@code client} has to the server, as sent from {@code from}. */
    private static void move(final SecureEndpoint client, final SecureEndpoint server, final InetSocketAddress from,
                             final long nowNs) {
        client.handleTimeout(nowNs);
        Transmit t;
        while ((t = client.pollTransmit()) != null) {
            server.handleDatagram(nowNs, from, t.datagram());
            t.datagram().release();
        }
    }

    /** Delivers the server's datagrams to whichever client they are addressed to. */
    private static void moveReplies(final Fixture f, final long nowNs) {
        Transmit t;
        while ((t = f.server.pollTransmit()) != null) {
            final SecureEndpoint to = t.destination().equals(CLIENT_A) ? f.clientA : f.clientB;
            to.handleDatagram(nowNs, SERVER, t.datagram());
            t.datagram().release();
        }
        drain(f.clientA);
        drain(f.clientB);
    }

    private static void drain(final SecureEndpoint e) {
        while (e.pollEvent() != null) {
            // Established and the like: the state is checked directly
        }
    }

    private static int accepted(final SecureEndpoint server) {
        int n = 0;
        SessionEvent e;
        while ((e = server.pollEvent()) != null) {
            if (e instanceof SessionEvent.Accepted) {
                n++;
            }
        }
        return n;
    }
}
