package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.packet.CipherRefusal;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.Set;

import static io.shoal.rudp.session.SessionPair.MS;
import static io.shoal.rudp.session.SessionPair.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AUTO cipher fallback through whole endpoints on the simulator (virtual time, 40 ms each way): a client left at
 * {@link CipherSuite#AUTO} reaches a server that refuses its first choice one round trip later than a plain
 * handshake, under a new connection id; a refusal forged by the simulator against a server that accepts the first
 * choice ends the connect with {@link HandshakeFailure#DOWNGRADE_DETECTED}, never with the other cipher; stale and
 * malformed refusals are dropped and counted. The server accepts only the cipher AUTO does not pick on this CPU, so
 * the fallback runs on every machine (ChaChaPoly where the CPU has AES instructions).
 */
class CipherFallbackSimTest {
    private static final long ONE_WAY_NS = 40 * MS;
    private static final long RTT_NS = 2 * ONE_WAY_NS;
    private static final NoiseCipher FIRST = CipherSuite.AUTO.resolve();
    private static final NoiseCipher OTHER = FIRST == NoiseCipher.CHACHA20_POLY1305
            ? NoiseCipher.AES_128_GCM : NoiseCipher.CHACHA20_POLY1305;
    private static final LinkConfig LINK = LinkConfig.builder().delayNs(ONE_WAY_NS).build();

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldConnectWithTheOtherCipherOneRoundTripLaterWhenTheSuiteIsAuto(final boolean ik) {
        final long seed = SimSeeds.resolve(0xFA11_5100L + (ik ? 1 : 0));
        final String replay = SimSeeds.failureLine(CipherFallbackSimTest.class,
                "shouldConnectWithTheOtherCipherOneRoundTripLaterWhenTheSuiteIsAuto", seed);
        try (SessionPair pair = new SessionPair(seed, LINK, RudpConfig.builder().cipherSuite(CipherSuite.AUTO)
                .acceptedCiphers(Set.of(OTHER)), ik)) {
            final ByteBuf[] refusal = new ByteBuf[1];
            pair.sim.deliveryListener((nowNs, toSide, d) -> {
                if (toSide == SimPair.CLIENT && refusal[0] == null
                        && d.getUnsignedByte(d.readerIndex()) == CipherRefusal.FIRST_BYTE) {
                    refusal[0] = Unpooled.copiedBuffer(d);
                }
            });
            final long[] eventNs = {-1};
            pair.client.app = e -> eventNs[0] = e instanceof SessionEvent.Established ? pair.client.nowNs : eventNs[0];
            final long startNs = pair.sim.nowNs();
            final SecureConnection c = pair.client.endpoint.connect(startNs, SessionSimSide.SERVER_ADDRESS, "server");
            pair.clientConnection = c;
            final long firstId = c.localConnectionId();
            assertTrue(pair.sim.driveUntil(() -> c.state() == SecureConnection.State.ESTABLISHED, 5 * SECOND), replay);
            final long tookNs = eventNs[0] - startNs;
            System.out.printf("AUTO fallback %s, RTT %d ms: client may send at %.2f RTT%n", ik ? "IK" : "XX",
                    RTT_NS / MS, (double) tookNs / RTT_NS);
            assertEquals(2 * RTT_NS, tookNs, "one round trip for the refusal, one for the handshake: " + replay);
            assertEquals(OTHER, c.stats().protection().cipher());
            assertNotEquals(firstId, c.localConnectionId(), "the fallback runs under a fresh connection id");
            assertSame(c, pair.client.endpoint.connection(c.localConnectionId()));
            assertNull(pair.client.endpoint.connection(firstId));
            assertEquals(1, pair.server.endpoint.stats().drops(DropReason.CIPHER_REFUSED));
            try {
                assertNotNull(refusal[0], "the refusal crossed the link");
                pair.client.endpoint.handleDatagram(pair.sim.nowNs(), SessionSimSide.SERVER_ADDRESS, refusal[0]);
                assertEquals(1, pair.client.endpoint.stats().drops(DropReason.UNKNOWN_CONNECTION_ID),
                        "a copy of the first attempt's refusal finds no connection");
            } finally {
                refusal[0].release();
            }
            assertEquals(SecureConnection.State.ESTABLISHED, c.state());
            final BulkTransfer bulk = new BulkTransfer(seed, 64 * 1024, 1000);
            assertTrue(pair.sim.driveUntil(() -> pair.serverConnection != null, 5 * SECOND), replay);
            assertEquals(OTHER, pair.serverConnection.stats().protection().cipher());
            SecureSessionSimTest.wire(pair, bulk);
            assertTrue(pair.sim.driveUntil(() -> bulk.receivedBytes() == bulk.totalBytes(), 30 * SECOND), replay);
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldFailRatherThanDowngradeWhenTheSimulatorForgesARefusal(final boolean ik) {
        final long seed = SimSeeds.resolve(0xFA11_5200L + (ik ? 1 : 0));
        try (SessionPair pair = new SessionPair(seed, LINK, RudpConfig.builder().cipherSuite(CipherSuite.AUTO)
                .acceptedCiphers(EnumSet.allOf(NoiseCipher.class)), ik)) {
            final ByteBuf[] initiation = new ByteBuf[1];
            pair.sim.deliveryListener((nowNs, toSide, d) -> {
                if (toSide == SimPair.SERVER && initiation[0] == null && d.getUnsignedByte(d.readerIndex()) == 0xE0) {
                    initiation[0] = Unpooled.copiedBuffer(d);
                }
            });
            final SecureConnection c = pair.client.endpoint.connect(pair.sim.nowNs(), SessionSimSide.SERVER_ADDRESS,
                    "server");
            pair.clientConnection = c;
            assertTrue(pair.sim.driveUntil(() -> initiation[0] != null, SECOND));
            // An on-path attacker answers the initiation it saw before the server's RESPONSE is back.
            final long[] closedNs = {-1};
            pair.client.app = e -> closedNs[0] = e instanceof SessionEvent.Closed ? pair.client.nowNs : closedNs[0];
            final ByteBuf forged = Unpooled.buffer(CipherRefusal.BYTES);
            final long forgedAtNs = pair.sim.nowNs();
            try {
                CipherRefusal.write(initiation[0], CipherRefusal.mask(Set.of(OTHER)), forged);
                pair.client.endpoint.handleDatagram(pair.sim.nowNs(), SessionSimSide.SERVER_ADDRESS, forged);
            } finally {
                forged.release();
                initiation[0].release();
            }
            pair.client.deliverEvents();
            assertTrue(pair.sim.driveUntil(() -> c.state() == SecureConnection.State.CLOSED, 5 * SECOND));
            assertEquals(CloseReason.HANDSHAKE_FAILED, c.closeReason());
            assertEquals(HandshakeFailure.DOWNGRADE_DETECTED, c.handshakeFailure(), c.handshakeFailureReason());
            assertTrue(c.handshakeFailureReason().contains("forged"), c.handshakeFailureReason());
            assertEquals(RTT_NS, closedNs[0] - forgedAtNs, "failed as soon as the server refused the fallback");
            assertEquals(1, pair.server.endpoint.stats().drops(DropReason.DOWNGRADE_REFUSED));
            assertEquals(1, pair.client.endpoint.stats().drops(DropReason.UNKNOWN_CONNECTION_ID),
                    "the genuine RESPONSE to the first attempt came back to a connection id no longer in use");
            for (final SecureConnection s : pair.server.endpoint.connections()) {
                assertEquals(FIRST, s.stats().protection().cipher(), "no connection under the other cipher");
            }
        }
    }

    @Test
    void shouldDropAndCountMalformedRefusalsAndStillConnect() {
        final long seed = SimSeeds.resolve(0xFA11_5300L);
        try (SessionPair pair = new SessionPair(seed, LINK, RudpConfig.builder().cipherSuite(CipherSuite.AUTO))) {
            final SecureConnection c = pair.client.endpoint.connect(pair.sim.nowNs(), SessionSimSide.SERVER_ADDRESS,
                    "server");
            pair.clientConnection = c;
            final ByteBuf shortest = Unpooled.buffer().writeByte(CipherRefusal.FIRST_BYTE)
                    .writeLong(c.localConnectionId()).writeZero(16);
            final ByteBuf truncated = Unpooled.buffer().writeByte(CipherRefusal.FIRST_BYTE)
                    .writeLong(c.localConnectionId()).writeZero(CipherRefusal.BYTES - 10);
            final ByteBuf unbound = Unpooled.buffer().writeByte(CipherRefusal.FIRST_BYTE)
                    .writeLong(c.localConnectionId()).writeZero(CipherRefusal.BYTES - 9);
            unbound.setByte(10, CipherRefusal.mask(Set.of(OTHER))); // lists a cipher, echoes no initiation
            final ByteBuf runt = Unpooled.buffer().writeByte(CipherRefusal.FIRST_BYTE).writeLong(c.localConnectionId());
            try {
                for (final ByteBuf bad : new ByteBuf[] {shortest, truncated, unbound, runt}) {
                    pair.client.endpoint.handleDatagram(pair.sim.nowNs(), SessionSimSide.SERVER_ADDRESS, bad);
                }
            } finally {
                shortest.release();
                truncated.release();
                unbound.release();
                runt.release();
            }
            assertEquals(3, pair.client.endpoint.stats().drops(DropReason.STRAY_HANDSHAKE));
            assertEquals(1, pair.client.endpoint.stats().drops(DropReason.UNKNOWN_KIND), "9 bytes: not secure");
            assertTrue(pair.sim.driveUntil(() -> c.state() == SecureConnection.State.ESTABLISHED, 5 * SECOND));
            assertEquals(FIRST, c.stats().protection().cipher(), "nothing moved the handshake");
        }
    }
}
