package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.packet.SecurePacketType;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Random;

import static io.shoal.rudp.session.SessionPair.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Garbage, replays, wrong connection ids and spoofed handshake floods: counted, dropped, harmless. */
class SecureEndpointBadInputTest {

    @Test
    void shouldCountAndDropGarbageReplaysAndWrongIdsWhileTheConnectionCarriesOn() {
        final long seed = SimSeeds.resolve(0xBAD0_0001L);
        try (SessionPair pair = new SessionPair(seed, LinkConfig.builder().delayMs(5).build()).handshake()) {
            final ByteBuf[] captured = {null};
            pair.sim.deliveryListener((nowNs, toSide, d) -> {
                if (toSide == SimPair.SERVER && captured[0] == null && d.readableBytes() > 60
                        && SecurePacketType.of(d.getUnsignedByte(d.readerIndex())) == SecurePacketType.DATA) {
                    captured[0] = Unpooled.copiedBuffer(d);
                }
            });
            final BulkTransfer first = new BulkTransfer(seed, 20_000, 1000);
            SecureSessionSimTest.wire(pair, first);
            assertTrue(pair.sim.driveUntil(() -> first.receivedBytes() == first.totalBytes(), 10 * SECOND));
            assertNotNull(captured[0]);
            final SecureEndpoint server = pair.server.endpoint;
            final InetSocketAddress from = SessionSimSide.CLIENT_ADDRESS;
            final long now = pair.sim.nowNs();
            try {
                server.handleDatagram(now, from, captured[0]);
                assertEquals(1, server.stats().drops(DropReason.DUPLICATE), "replay");

                final ByteBuf wrongId = Unpooled.copiedBuffer(captured[0]);
                wrongId.setLong(1, wrongId.getLong(1) ^ 1);
                server.handleDatagram(now, from, wrongId);
                wrongId.release();
                assertEquals(1, server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID), "wrong id");

                final ByteBuf forged = Unpooled.copiedBuffer(captured[0]);
                forged.setLong(9, forged.getLong(9) + 100_000);
                server.handleDatagram(now, from, forged);
                forged.release();
                assertEquals(1, server.stats().drops(DropReason.AUTH_FAILED), "forged packet number");
            } finally {
                captured[0].release();
            }
            final long dropsBefore = server.stats().totalDrops();
            final int halfOpenBefore = server.stats().halfOpen();
            final Random random = new Random(seed);
            int foreign = 0;
            for (int i = 0; i < 500; i++) {
                final byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                if (i % 2 == 0) {
                    junk[0] = (byte) (0xE0 | random.nextInt(16)); // looks secure, so it gets past the demultiplexer
                }
                final long foreignBefore = server.stats().foreignDatagrams();
                server.handleDatagram(now, new InetSocketAddress("192.0.2.9", 1000 + i), Unpooled.wrappedBuffer(junk));
                foreign += (int) (server.stats().foreignDatagrams() - foreignBefore);
                pair.server.deliverEvents();
            }
            assertEquals(500, server.stats().totalDrops() - dropsBefore + foreign, "every datagram dropped or handed out");
            assertEquals(halfOpenBefore, server.stats().halfOpen(), "garbage leaves no handshake state");
            final BulkTransfer second = new BulkTransfer(seed + 1, 50_000, 1000);
            SecureSessionSimTest.wire(pair, second);
            assertTrue(pair.sim.driveUntil(() -> second.receivedBytes() == second.totalBytes(), 10 * SECOND));
            assertArrayEquals(second.expectedDigest(), second.receivedDigest());
            assertEquals(SecureConnection.State.ESTABLISHED, pair.serverConnection.state());
        }
    }

    @Test
    void shouldKeepNoStateWhenSpoofedAddressesFloodHandshakesAndCookiesAreDemanded() {
        final long seed = SimSeeds.resolve(0xBAD0_0002L);
        final StaticIdentity serverIdentity = StaticIdentity.generate(SessionSimSide.seeded(seed));
        final RudpConfig serverConfig = RudpConfig.builder().identity(serverIdentity)
                .policy(PeerKeyPolicy.acceptAny()).cookieThreshold(0).build();
        final RudpConfig clientConfig = RudpConfig.builder()
                .identity(StaticIdentity.generate(SessionSimSide.seeded(seed + 1)))
                .policy(PeerKeyPolicy.pinned(serverIdentity.publicKey())).build();
        final InetSocketAddress serverAddress = SessionSimSide.SERVER_ADDRESS;
        try (SecureEndpoint server = new SecureEndpoint(serverConfig, true, ByteBufAllocator.DEFAULT,
                SessionSimSide.seeded(seed + 2));
             SecureEndpoint attacker = new SecureEndpoint(clientConfig, false, ByteBufAllocator.DEFAULT,
                SessionSimSide.seeded(seed + 3))) {
            long bytesIn = 0;
            long bytesOut = 0;
            for (int i = 0; i < 1000; i++) {
                attacker.connect(0, serverAddress, "server");
                final Transmit initiation = attacker.pollTransmit();
                final InetSocketAddress spoofed = new InetSocketAddress("10." + (i >> 8) + "." + (i & 255) + ".1",
                        1024 + i);
                bytesIn += initiation.datagram().readableBytes();
                server.handleDatagram(0, spoofed, initiation.datagram());
                initiation.datagram().release();
                final Transmit reply = server.pollTransmit();
                assertEquals(spoofed, reply.destination());
                bytesOut += reply.datagram().readableBytes();
                assertTrue(reply.datagram().readableBytes() < initiation.datagram().capacity());
                reply.datagram().release();
            }
            final EndpointStats stats = server.stats();
            assertEquals(1000, stats.cookiesSent());
            assertEquals(0, stats.halfOpen(), "no handshake state for unproven addresses");
            assertEquals(0, stats.connections());
            assertTrue(bytesOut * 6 < bytesIn, "cookie replies are far smaller than initiations: " + bytesOut
                    + " vs " + bytesIn);

            // A real client answers its cookie reply and gets through.
            try (SecureEndpoint client = new SecureEndpoint(clientConfig, false, ByteBufAllocator.DEFAULT,
                    SessionSimSide.seeded(seed + 4))) {
                final InetSocketAddress real = new InetSocketAddress("198.51.100.1", 40000);
                final SecureConnection c = client.connect(0, serverAddress, "server");
                for (int round = 0; round < 3; round++) {
                    Transmit t;
                    while ((t = client.pollTransmit()) != null) {
                        server.handleDatagram(1, real, t.datagram());
                        t.datagram().release();
                    }
                    while ((t = server.pollTransmit()) != null) {
                        client.handleDatagram(1, serverAddress, t.datagram());
                        t.datagram().release();
                    }
                }
                assertEquals(SecureConnection.State.ESTABLISHED, c.state());
                assertEquals(1, server.stats().connections());
                drainEvents(client);
                drainEvents(server);
            }
        }
    }

    private static void drainEvents(final SecureEndpoint e) {
        SessionEvent ev;
        while ((ev = e.pollEvent()) != null) {
            if (ev instanceof SessionEvent.Foreign f) {
                f.datagram().release();
            }
        }
    }
}
