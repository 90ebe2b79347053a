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
 * AES-GCM connections on the simulator's virtual clock: the ciphers go only after {@link ProtectionIdleRelease#AFTER_NS}
 * without a packet, a connection sending more often than that keeps them, and a released one works on.
 */
class ProtectionIdleReleaseSimTest {
    /** Virtual time given to one message and its ACK: far more than the 20 ms round trip. */
    private static final long EXCHANGE_NS = 200 * MS;
    private final List<Integer> received = new ArrayList<>();

    @Test
    void shouldReleaseTheCiphersWhenTheConnectionHasBeenIdleForTheReleaseTime() {
        final long seed = SimSeeds.resolve(0x1D1E_0001L);
        try (SessionPair pair = pair(seed)) {
            final String replay = SimSeeds.failureLine(getClass(), "shouldReleaseTheCiphersWhenTheConnectionHasBeen"
                    + "IdleForTheReleaseTime", seed);
            final long sentNs = exchange(pair, 1); // its last packet (the ACK) within EXCHANGE_NS after sentNs
            assertTrue(pair.serverConnection.holdsCipherState(), replay);
            pair.sim.drive(sentNs + ProtectionIdleRelease.AFTER_NS - 100 * MS);
            assertTrue(pair.serverConnection.holdsCipherState(), "released early; " + replay);
            assertTrue(pair.clientConnection.holdsCipherState(), "released early; " + replay);
            pair.sim.drive(sentNs + EXCHANGE_NS + ProtectionIdleRelease.AFTER_NS);
            assertFalse(pair.serverConnection.holdsCipherState(), "not released; " + replay);
            assertFalse(pair.clientConnection.holdsCipherState(), "not released; " + replay);

            exchange(pair, 2); // rebuilt from the keys on the next packet
            assertEquals(List.of(1, 2), received, replay);
            assertTrue(pair.serverConnection.holdsCipherState(), replay);
        }
    }

    @Test
    void shouldKeepTheCiphersWhenTheConnectionSendsMoreOftenThanTheReleaseTime() {
        final long seed = SimSeeds.resolve(0x1D1E_0002L);
        try (SessionPair pair = pair(seed)) {
            final String replay = SimSeeds.failureLine(getClass(), "shouldKeepTheCiphersWhenTheConnectionSendsMore"
                    + "OftenThanTheReleaseTime", seed);
            for (int i = 1; i <= 10; i++) {
                final long sentNs = exchange(pair, i);
                pair.sim.drive(sentNs + ProtectionIdleRelease.AFTER_NS / 2);
                assertTrue(pair.serverConnection.holdsCipherState(), "released while busy, message " + i + "; "
                        + replay);
                assertTrue(pair.clientConnection.holdsCipherState(), "released while busy, message " + i + "; "
                        + replay);
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
