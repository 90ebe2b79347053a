package io.shoal.rudp.session;

import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Random;

import static io.shoal.rudp.session.SessionPair.MS;
import static io.shoal.rudp.session.SessionPair.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole connections on the simulator: handshake, bulk transfer, close, abort, timeouts, NAT rebinding. */
class SecureSessionSimTest {

    @Test
    void shouldDeliverBulkDataIntactWhenTheLinkLosesPackets() {
        final long seed = SimSeeds.resolve(0x5EC0_0001L);
        final LinkConfig link = LinkConfig.builder().delayMs(20).lossRate(0.03).build();
        try (SessionPair pair = new SessionPair(seed, link).handshake()) {
            final BulkTransfer bulk = new BulkTransfer(seed, 512 * 1024, 1000);
            wire(pair, bulk);
            final boolean done = pair.sim.driveUntil(() -> bulk.receivedBytes() == bulk.totalBytes(), 120 * SECOND);
            assertTrue(done, "received " + bulk.receivedBytes() + "; " + replay("shouldDeliverBulkDataIntactWhenTheLinkLosesPackets", seed));
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
            assertTrue(pair.clientConnection.stats().kcp().retransmits()
                    + pair.clientConnection.stats().kcp().fastRetransmits() > 0, "loss was exercised");
            assertEquals(0, pair.server.endpoint.stats().drops(DropReason.AUTH_FAILED));
        }
    }

    @Test
    void shouldRunTheXxHandshakeWithAPskAndTransferWhenTheServerKeyIsUnknownAndTheLinkIsLossy() {
        final long seed = SimSeeds.resolve(0x5EC0_0008L);
        final byte[] psk = new byte[32];
        new Random(seed).nextBytes(psk);
        final LinkConfig link = LinkConfig.builder().delayMs(30).lossRate(0.2).build();
        try (SessionPair pair = new SessionPair(seed, link, RudpConfig.builder().psk(psk), false).handshake()) {
            assertEquals(HandshakePattern.XX_PSK3, pair.clientConnection.pattern());
            assertEquals(HandshakePattern.XX_PSK3, pair.serverConnection.pattern());
            assertEquals(pair.serverIdentity.publicKey(), pair.clientConnection.peerKey());
            final BulkTransfer bulk = new BulkTransfer(seed, 64 * 1024, 1000);
            wire(pair, bulk);
            assertTrue(pair.sim.driveUntil(() -> bulk.receivedBytes() == bulk.totalBytes(), 120 * SECOND),
                    replay("shouldRunTheXxHandshakeWithAPskAndTransferWhenTheServerKeyIsUnknownAndTheLinkIsLossy", seed));
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
        }
    }

    @Test
    void shouldDeliverEverythingBeforeClosingWhenClosedGracefully() {
        final long seed = SimSeeds.resolve(0x5EC0_0002L);
        final LinkConfig link = LinkConfig.builder().delayMs(15).lossRate(0.02).build();
        try (SessionPair pair = new SessionPair(seed, link).handshake()) {
            final BulkTransfer bulk = new BulkTransfer(seed, 200 * 1024, 1200);
            final boolean[] closeCalled = {false};
            pair.client.afterInput = () -> {
                bulk.pump(pair.clientConnection, pair.client.nowNs);
                if (bulk.allQueued() && !closeCalled[0]) {
                    closeCalled[0] = true;
                    pair.clientConnection.close(pair.client.nowNs, "done");
                }
            };
            pair.server.afterInput = () -> bulk.drain(pair.serverConnection);
            pair.client.afterInput.run();
            final boolean closed = pair.sim.driveUntil(() -> pair.clientConnection.state() == SecureConnection.State.CLOSED
                    && pair.serverConnection.state() == SecureConnection.State.CLOSED, 120 * SECOND);
            assertTrue(closed, replay("shouldDeliverEverythingBeforeClosingWhenClosedGracefully", seed));
            assertEquals(bulk.totalBytes(), bulk.receivedBytes());
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
            assertEquals(CloseReason.LOCAL_CLOSE, pair.clientConnection.closeReason());
            assertEquals(CloseReason.PEER_CLOSE, pair.serverConnection.closeReason());
            assertEquals("done", pair.serverConnection.peerCloseText());
            pair.sim.drive(pair.sim.nowNs() + SecureConnection.LINGER_NS + SECOND);
            assertEquals(0, pair.client.endpoint.stats().connections(), "freed after lingering");
            assertEquals(0, pair.server.endpoint.stats().connections(), "freed after lingering");
        }
    }

    @Test
    void shouldEndBothSidesAtOnceWhenAborted() {
        final long seed = SimSeeds.resolve(0x5EC0_0003L);
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build()).handshake()) {
            final BulkTransfer bulk = new BulkTransfer(seed, 100 * 1024, 1000);
            bulk.pump(pair.clientConnection, pair.sim.nowNs());
            pair.clientConnection.abort(pair.sim.nowNs(), "bye");
            assertEquals(CloseReason.LOCAL_ABORT, pair.clientConnection.closeReason());
            assertTrue(pair.sim.driveUntil(() -> pair.serverConnection.state() == SecureConnection.State.CLOSED,
                    SECOND));
            assertEquals(CloseReason.PEER_ABORT, pair.serverConnection.closeReason());
            assertEquals("bye", pair.serverConnection.peerCloseText());
        }
    }

    @Test
    void shouldCloseWithIdleTimeoutWhenNothingIsSent() {
        final long seed = SimSeeds.resolve(0x5EC0_0004L);
        final RudpConfig.Builder config = RudpConfig.builder().keepaliveNs(0).idleTimeoutNs(5 * SECOND);
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build(), config)
                .handshake()) {
            final long startNs = pair.sim.nowNs();
            assertTrue(pair.sim.driveUntil(() -> pair.clientConnection.state() == SecureConnection.State.CLOSED
                    && pair.serverConnection.state() == SecureConnection.State.CLOSED, 10 * SECOND));
            assertEquals(CloseReason.IDLE_TIMEOUT, pair.clientConnection.closeReason());
            assertEquals(CloseReason.IDLE_TIMEOUT, pair.serverConnection.closeReason());
            assertTrue(pair.sim.nowNs() - startNs >= 5 * SECOND - 100 * MS);
        }
    }

    @Test
    void shouldStayOpenWhenKeepalivesFlowOnAnIdleConnection() {
        final long seed = SimSeeds.resolve(0x5EC0_0005L);
        final RudpConfig.Builder config = RudpConfig.builder().keepaliveNs(SECOND).idleTimeoutNs(3 * SECOND);
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build(), config)
                .handshake()) {
            pair.sim.drive(pair.sim.nowNs() + 20 * SECOND);
            assertEquals(SecureConnection.State.ESTABLISHED, pair.clientConnection.state());
            assertEquals(SecureConnection.State.ESTABLISHED, pair.serverConnection.state());
            assertTrue(pair.clientConnection.stats().keepalivesSent() >= 10);
            assertTrue(pair.serverConnection.stats().keepalivesSent() >= 10);
        }
    }

    @Test
    void shouldReportPeerDeadWhenThePeerVanishesMidTransfer() {
        final long seed = SimSeeds.resolve(0x5EC0_0006L);
        final RudpConfig.Builder config = RudpConfig.builder().idleTimeoutNs(3_600 * SECOND)
                .kcp(RudpConfig.builder().build().kcp().toBuilder().deadLink(8).build());
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build(), config)
                .handshake()) {
            pair.server.peerReachableAt = new InetSocketAddress("192.0.2.1", 9);
            pair.client.peerReachableAt = new InetSocketAddress("192.0.2.1", 9);
            new BulkTransfer(seed, 10_000, 1000).pump(pair.clientConnection, pair.sim.nowNs());
            assertTrue(pair.sim.driveUntil(() -> pair.clientConnection.state() == SecureConnection.State.CLOSED,
                    3_000 * SECOND), replay("shouldReportPeerDeadWhenThePeerVanishesMidTransfer", seed));
            assertEquals(CloseReason.PEER_DEAD, pair.clientConnection.closeReason());
        }
    }

    @Test
    void shouldKeepTheConnectionWhenTheClientIsReboundMidTransfer() {
        final long seed = SimSeeds.resolve(0x5EC0_0007L);
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(10).build()).handshake()) {
            final BulkTransfer bulk = new BulkTransfer(seed, 512 * 1024, 1000);
            wire(pair, bulk);
            assertTrue(pair.sim.driveUntil(() -> bulk.receivedBytes() > bulk.totalBytes() / 3, 60 * SECOND));
            final InetSocketAddress rebound = new InetSocketAddress("198.51.100.77", 51234);
            pair.server.peerSeenAs = rebound;
            pair.server.peerReachableAt = rebound;
            assertTrue(pair.sim.driveUntil(() -> bulk.receivedBytes() == bulk.totalBytes(), 60 * SECOND),
                    replay("shouldKeepTheConnectionWhenTheClientIsReboundMidTransfer", seed));
            assertArrayEquals(bulk.expectedDigest(), bulk.receivedDigest());
            assertEquals(rebound, pair.serverConnection.remoteAddress());
            assertEquals(1, pair.serverConnection.stats().pathChanges());
            assertEquals(SecureConnection.State.ESTABLISHED, pair.serverConnection.state());
        }
    }

    static void wire(final SessionPair pair, final BulkTransfer bulk) {
        pair.client.afterInput = () -> bulk.pump(pair.clientConnection, pair.client.nowNs);
        pair.server.afterInput = () -> {
            if (pair.serverConnection != null) {
                bulk.drain(pair.serverConnection);
            }
        };
        bulk.pump(pair.clientConnection, pair.sim.nowNs());
        assertNotNull(pair.serverConnection);
    }

    static String replay(final String method, final long seed) {
        return SimSeeds.failureLine(SecureSessionSimTest.class, method, seed);
    }
}
