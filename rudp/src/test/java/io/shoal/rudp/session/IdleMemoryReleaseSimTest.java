package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.shoal.rudp.session.SessionPair.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AES-GCM connections on the simulator's virtual clock: the ciphers and the engine's pooled buffers go only after
 * {@link IdleMemoryRelease#AFTER_NS} without a packet (not each time the engine runs out of work), a connection
 * sending more often than that keeps them, and a released one works on.
 */
class IdleMemoryReleaseSimTest {
    /** Virtual time given to one message and its ACK: far more than the 20 ms round trip. */
    private static final long EXCHANGE_NS = 200 * MS;
    private final List<Integer> received = new ArrayList<>();

    @Test
    void shouldReleaseTheCiphersAndEngineBuffersWhenTheConnectionHasBeenIdleForTheReleaseTime() {
        final long seed = SimSeeds.resolve(0x1D1E_0001L);
        try (SessionPair pair = pair(seed)) {
            final String replay = SimSeeds.failureLine(getClass(), "shouldReleaseTheCiphersAndEngineBuffersWhenThe"
                    + "ConnectionHasBeenIdleForTheReleaseTime", seed);
            final long sentNs = exchange(pair, 1); // its last packet (the ACK) within EXCHANGE_NS after sentNs
            assertTrue(pair.serverConnection.holdsCipherState(), replay);
            pair.sim.drive(sentNs + IdleMemoryRelease.AFTER_NS - 100 * MS);
            assertTrue(pair.serverConnection.holdsCipherState(), "released early; " + replay);
            assertTrue(pair.clientConnection.holdsCipherState(), "released early; " + replay);
            assertTrue(pair.serverConnection.holdsEngineMemory(), "engine released when idle; " + replay);
            assertTrue(pair.clientConnection.holdsEngineMemory(), "engine released when idle; " + replay);
            pair.sim.drive(sentNs + EXCHANGE_NS + IdleMemoryRelease.AFTER_NS);
            assertFalse(pair.serverConnection.holdsCipherState(), "not released; " + replay);
            assertFalse(pair.clientConnection.holdsCipherState(), "not released; " + replay);
            assertFalse(pair.serverConnection.holdsEngineMemory(), "engine not released; " + replay);
            assertFalse(pair.clientConnection.holdsEngineMemory(), "engine not released; " + replay);

            exchange(pair, 2); // rebuilt from the keys on the next packet
            assertEquals(List.of(1, 2), received, replay);
            assertTrue(pair.serverConnection.holdsCipherState(), replay);
        }
    }

    @Test
    void shouldKeepTheCiphersAndEngineBuffersWhenTheConnectionSendsMoreOftenThanTheReleaseTime() {
        final long seed = SimSeeds.resolve(0x1D1E_0002L);
        try (SessionPair pair = pair(seed)) {
            final String replay = SimSeeds.failureLine(getClass(), "shouldKeepTheCiphersAndEngineBuffersWhenThe"
                    + "ConnectionSendsMoreOftenThanTheReleaseTime", seed);
            for (int i = 1; i <= 10; i++) {
                final long sentNs = exchange(pair, i);
                pair.sim.drive(sentNs + IdleMemoryRelease.AFTER_NS / 2);
                assertTrue(pair.serverConnection.holdsCipherState(), "released while busy, message " + i + "; "
                        + replay);
                assertTrue(pair.clientConnection.holdsCipherState(), "released while busy, message " + i + "; "
                        + replay);
                assertTrue(pair.serverConnection.holdsEngineMemory(), "engine released while busy, message " + i
                        + "; " + replay);
            }
            assertEquals(10, received.size(), replay);
        }
    }

    private SessionPair pair(final long seed) {
        final SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build(),
                RudpConfig.builder().cipherSuite(CipherSuite.AES_256_GCM));
        final Consumer<SessionEvent> accept = pair.server.app;
        pair.server.app = e -> {
            accept.accept(e);
            if (e instanceof SessionEvent.Readable r) {
                ByteBuf m;
                while ((m = r.connection().pollMessage()) != null) {
                    received.add((int) m.readByte());
                    m.release();
                }
            }
        };
        return pair.handshake();
    }

    /**
     * Sends a one-byte message {@code id} and runs {@link #EXCHANGE_NS} of virtual time, in which it is read and
     * acknowledged (no loss, 10 ms each way); returns when it was sent.
     */
    private long exchange(final SessionPair pair, final int id) {
        final int before = received.size();
        final long sentNs = pair.sim.nowNs();
        pair.clientConnection.send(sentNs, Unpooled.wrappedBuffer(new byte[] {(byte) id}));
        pair.sim.drive(sentNs + EXCHANGE_NS);
        assertEquals(before + 1, received.size(), "message " + id);
        assertEquals(0, pair.clientConnection.stats().kcp().inflightSegments(), "message " + id + " unacknowledged");
        return sentNs;
    }
}
