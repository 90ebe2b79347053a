package io.shoal.rudp.session;

import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static io.shoal.rudp.session.SessionPair.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole connections on the simulator with each cipher: negotiated, bulk data intact, an explicit cipher refused
 * with its reason. The AUTO fallback is {@link CipherFallbackSimTest}.
 */
class CipherSuiteSimTest {

    @ParameterizedTest
    @CsvSource({"CHACHA20_POLY1305,true", "CHACHA20_POLY1305,false", "AES_256_GCM,true", "AES_256_GCM,false",
        "AES_128_GCM,true", "AES_128_GCM,false"})
    void shouldTransferBulkDataIntactUnderTheNegotiatedCipher(final CipherSuite suite, final boolean ik) {
        final long seed = SimSeeds.resolve(0xAE5_0001L + suite.ordinal());
        final LinkConfig link = LinkConfig.builder().delayMs(20).lossRate(0.02).build();
        try (SessionPair pair = new SessionPair(seed, link, RudpConfig.builder().cipherSuite(suite), ik)
                .handshake()) {
            assertEquals(suite.resolve(), pair.clientConnection.stats().protection().cipher());
            assertEquals(suite.resolve(), pair.serverConnection.stats().protection().cipher());
            assertTrue(pair.clientConnection.toString().contains(suite.resolve().packetCipherName()),
                    pair.clientConnection.toString());
            final BulkTransfer bulk = new BulkTransfer(seed, 256 * 1024, 1000);
            SecureSessionSimTest.wire(pair, bulk);
            assertTrue(pair.sim.driveUntil(() -> bulk.receivedBytes() == bulk.totalBytes(), 120 * SECOND),
                    SimSeeds.failureLine(CipherSuiteSimTest.class, "shouldTransferBulkDataIntactUnderTheNegotiatedCipher",
                            seed));
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
            assertEquals(0, pair.server.endpoint.stats().drops(DropReason.AUTH_FAILED));
        }
    }

    @Test
    void shouldCloseAtOnceWithAReasonNamingBothSidesCiphersWhenTheServerRefusesAnExplicitOne() {
        final long seed = SimSeeds.resolve(0xAE5_0010L);
        final RudpConfig.Builder common = RudpConfig.builder().cipherSuite(CipherSuite.AES_256_GCM)
                .acceptedCiphers(Set.of(NoiseCipher.CHACHA20_POLY1305));
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build(), common)) {
            final long[] closedNs = {-1};
            pair.client.app = e -> closedNs[0] = e instanceof SessionEvent.Closed ? pair.client.nowNs : closedNs[0];
            final long startNs = pair.sim.nowNs();
            final SecureConnection c = pair.client.endpoint.connect(startNs, SessionSimSide.SERVER_ADDRESS, "server");
            pair.clientConnection = c;
            assertTrue(pair.sim.driveUntil(() -> c.state() == SecureConnection.State.CLOSED, 10 * SECOND),
                    "the connect must end, not hang");
            assertEquals(20 * SessionPair.MS, closedNs[0] - startNs, "one round trip: the refusal, not the timeout");
            assertEquals(CloseReason.HANDSHAKE_FAILED, c.closeReason());
            assertEquals(HandshakeFailure.CIPHER_REFUSED, c.handshakeFailure());
            assertEquals("the responder accepts only CHACHA20_POLY1305 and refused AES_256_GCM, chosen explicitly"
                    + " (no fallback)", c.handshakeFailureReason());
            assertEquals(1, pair.server.endpoint.stats().drops(DropReason.CIPHER_REFUSED));
            assertEquals(0, pair.server.endpoint.stats().connections());
        }
    }
}
