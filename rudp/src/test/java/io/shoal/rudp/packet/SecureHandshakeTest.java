package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecureHandshakeTest {
    private static final long MS = 1_000_000L;
    private static final String SERVER = "server";
    private final SecureRandom random = new SecureRandom();
    private final StaticIdentity client = StaticIdentity.generate(random);
    private final StaticIdentity server = StaticIdentity.generate(random);

    @ParameterizedTest
    @CsvSource({"false,false,XX", "true,false,IK", "false,true,XX_PSK3", "true,true,IK_PSK2"})
    void shouldEstablishAndExchangeDataWithEachPattern(final boolean knowsServer, final boolean psk,
                                                       final HandshakePattern expected) {
        final byte[] key = psk ? new byte[32] : null;
        final SecureInitiator init = initiator(knowsServer ? PeerKeyPolicy.pinned(server.publicKey())
                : PeerKeyPolicy.acceptAny(), key, 256);
        final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), key, 256);
        new HandshakeLink(1, 0, 0, 10 * MS, 0, init, resp).run(60_000 * MS);
        assertEquals(expected, init.pattern());
        assertEquals(SecureInitiator.State.ESTABLISHED, init.state());
        final HandshakeOutcome a = init.outcome();
        final HandshakeOutcome b = resp.pollEstablished();
        assertNotNull(b);
        assertEquals(server.publicKey(), a.peerKey());
        assertEquals(client.publicKey(), b.peerKey());
        assertEquals(HandshakeLink.CLIENT, b.peerAddress());
        assertEquals(a.localConnectionId(), b.peerConnectionId());
        assertEquals(a.peerConnectionId(), b.localConnectionId());
        assertArrayEquals(a.handshakeHash(), b.handshakeHash());
        PacketRoundTrip.both(a.protection(), b.protection());
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void shouldGiveThePolicyTheClientsHostAndPortWhenItReadsNames(final boolean knowsServer) {
        final Map<String, PeerKey> known = new HashMap<>();
        final SecureInitiator init = initiator(knowsServer ? PeerKeyPolicy.pinned(server.publicKey())
                : PeerKeyPolicy.acceptAny(), null, 256);
        final SecureResponder resp = responder(PeerKeyPolicy.learnOnFirstUse(known), null, 256);
        new HandshakeLink(1, 0, 0, 10 * MS, 0, init, resp).run(60_000 * MS);
        assertNotNull(resp.pollEstablished());
        final String name = HandshakeLink.CLIENT.getAddress().getHostAddress() + ":" + HandshakeLink.CLIENT.getPort();
        assertEquals(Map.of(name, client.publicKey()), known);
        assertFalse(PeerKeyPolicy.acceptAny().readsPeerName());
        assertFalse(PeerKeyPolicy.pinned(server.publicKey()).readsPeerName());
        assertFalse(PeerKeyPolicy.allowList(Set.of(server.publicKey())).readsPeerName());
        assertTrue(PeerKeyPolicy.learnOnFirstUse(known).readsPeerName());
    }

    @Test
    void shouldEstablishUnderLossDuplicationAndReorderingForEverySeed() {
        for (long seed = 1; seed <= 60; seed++) {
            final boolean ik = seed % 2 == 0;
            final SecureInitiator init = initiator(ik ? PeerKeyPolicy.pinned(server.publicKey())
                    : PeerKeyPolicy.acceptAny(), null, seed % 3 == 0 ? 0 : 256);
            final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), null, seed % 3 == 0 ? 0 : 256);
            final HandshakeLink link = new HandshakeLink(seed, 0.25, 0.2, 20 * MS, 40 * MS, init, resp);
            link.run(60_000 * MS);
            assertEquals(SecureInitiator.State.ESTABLISHED, init.state(), "seed " + seed);
            assertNotNull(resp.pollEstablished(), "seed " + seed);
            assertNull(resp.pollEstablished(), "one connection per handshake, seed " + seed);
            // Before the client's address is proven the server never sends more than it received.
            assertTrue(link.serverBytesSent <= link.serverBytesReceived, "amplification, seed " + seed);
            assertTrue(link.serverBytesSent > 0);
        }
    }

    @Test
    void shouldAnswerWithOnlyACookieAndKeepNoStateWhenCookiesAreDemanded() {
        final SecureInitiator init = initiator(PeerKeyPolicy.acceptAny(), null, 0);
        final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), null, 0);
        final ByteBuf first = Unpooled.buffer();
        init.start(0, first);
        final ByteBuf reply = Unpooled.buffer();
        assertEquals(SecureResponder.Result.COOKIE_SENT, resp.handleInitiation(first, HandshakeLink.CLIENT, 0, reply));
        assertEquals(0, resp.halfOpenCount());
        assertTrue(reply.readableBytes() <= first.readableBytes());
        // The same initiation from a spoofed address gets no state either: the cookie is bound to the address.
        final ByteBuf again = Unpooled.buffer();
        assertEquals(SecureInitiator.Result.RESENT_WITH_COOKIE, init.handleDatagram(reply, MS, again));
        final ByteBuf spoofReply = Unpooled.buffer();
        assertEquals(SecureResponder.Result.COOKIE_SENT, resp.handleInitiation(again.copy(),
                new InetSocketAddress("203.0.113.9", 1), MS, spoofReply));
        assertEquals(0, resp.halfOpenCount());
        final ByteBuf response = Unpooled.buffer();
        assertEquals(SecureResponder.Result.RESPONDED, resp.handleInitiation(again, HandshakeLink.CLIENT, MS, response));
        assertEquals(1, resp.halfOpenCount());
        for (final ByteBuf b : new ByteBuf[] {first, reply, again, spoofReply, response}) {
            b.release();
        }
    }

    @Test
    void shouldDemandAFreshCookieWhenTheCookieIsStale() {
        final SecureHandshakeConfig cfg = SecureHandshakeConfig.builder(client, PeerKeyPolicy.acceptAny())
                .cookieLifetimeNs(Long.MAX_VALUE / 2).handshakeTimeoutNs(Long.MAX_VALUE / 4).build();
        final SecureInitiator init = new SecureInitiator(cfg, SERVER, 7, random);
        final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), null, 0);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        final ByteBuf reply = Unpooled.buffer();
        resp.handleInitiation(out, HandshakeLink.CLIENT, 0, reply);
        out.clear();
        init.handleDatagram(reply, 0, out);
        final long later = 3 * CookieValidator.EPOCH_NS;
        assertEquals(SecureResponder.Result.COOKIE_SENT, resp.handleInitiation(out, HandshakeLink.CLIENT, later,
                reply.clear()));
        assertEquals(1, resp.staleCookies());
        out.release();
        reply.release();
    }

    @Test
    void shouldFailWithPolicyRejectionWhenTheServerKeyIsNotAllowed() {
        final SecureInitiator init = initiator(PeerKeyPolicy.allowList(Set.of(client.publicKey(),
                StaticIdentity.generate(random).publicKey())), null, 256);
        new HandshakeLink(3, 0, 0, MS, 0, init, responder(PeerKeyPolicy.acceptAny(), null, 256)).run(60_000 * MS);
        assertEquals(SecureInitiator.State.FAILED, init.state());
        assertEquals(HandshakeFailure.REJECTED_BY_POLICY, init.failure());
    }

    @Test
    void shouldDropTheInitiatorWhenTheServerPolicyRefusesItsKey() {
        final SecureInitiator init = initiator(PeerKeyPolicy.pinned(server.publicKey()), null, 256);
        final SecureResponder resp = responder(PeerKeyPolicy.pinned(server.publicKey()), null, 256);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        final ByteBuf reply = Unpooled.buffer();
        assertEquals(SecureResponder.Result.DROPPED_POLICY, resp.handleInitiation(out, HandshakeLink.CLIENT, 0, reply));
        assertEquals(0, reply.readableBytes());
        out.release();
        reply.release();
    }

    @Test
    void shouldFailDecryptionWhenPresharedKeysDiffer() {
        final byte[] other = new byte[32];
        other[31] = 1;
        final SecureInitiator init = initiator(PeerKeyPolicy.pinned(server.publicKey()), new byte[32], 256);
        new HandshakeLink(4, 0, 0, MS, 0, init, responder(PeerKeyPolicy.acceptAny(), other, 256)).run(60_000 * MS);
        assertEquals(HandshakeFailure.DECRYPT_FAILED, init.failure());
    }

    @Test
    void shouldDropInitiationsForAnotherServerBeforeAnyDiffieHellman() {
        final SecureInitiator init = initiator(PeerKeyPolicy.pinned(client.publicKey()), null, 256);
        final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), null, 256);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        assertEquals(SecureResponder.Result.DROPPED_BAD_MAC1,
                resp.handleInitiation(out, HandshakeLink.CLIENT, 0, Unpooled.EMPTY_BUFFER));
        out.release();
    }

    @Test
    void shouldTimeOutAfterRetransmittingWithBackoff() {
        final SecureInitiator init = initiator(PeerKeyPolicy.acceptAny(), null, 256);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        int sends = 1;
        long previousGap = 0;
        while (init.nextDeadlineNs() != SecureInitiator.NO_DEADLINE) {
            final long at = init.nextDeadlineNs();
            final int before = out.readableBytes();
            init.handleTimeout(at, out);
            if (out.readableBytes() > before) {
                sends++;
            }
            final long gap = init.nextDeadlineNs() == SecureInitiator.NO_DEADLINE ? previousGap
                    : init.nextDeadlineNs() - at;
            assertTrue(gap >= previousGap, "backoff never shrinks");
            previousGap = gap;
        }
        assertEquals(HandshakeFailure.TIMED_OUT, init.failure());
        assertTrue(sends >= 4, "retransmitted " + sends);
        assertEquals(sends * (long) HandshakeCodec.initiationBytes(HandshakePattern.XX), init.bytesSent());
        out.release();
    }

    @Test
    void shouldDropGarbageAtTheResponderWithoutState() {
        final SecureResponder resp = responder(PeerKeyPolicy.acceptAny(), null, 256);
        final Random seeded = new Random(99);
        for (int i = 0; i < 5_000; i++) {
            final byte[] junk = new byte[seeded.nextInt(300)];
            seeded.nextBytes(junk);
            if (junk.length > 1) {
                junk[0] = (byte) 0xE0;
                junk[1] = (byte) seeded.nextInt(5);
            }
            final ByteBuf reply = Unpooled.buffer();
            final SecureResponder.Result r = resp.handleInitiation(Unpooled.wrappedBuffer(junk), HandshakeLink.CLIENT,
                    i, reply);
            assertTrue(r == SecureResponder.Result.DROPPED_MALFORMED || r == SecureResponder.Result.DROPPED_BAD_MAC1,
                    r.toString());
            assertEquals(0, reply.readableBytes());
            resp.handleFinish(Unpooled.wrappedBuffer(junk), i);
        }
        assertEquals(0, resp.halfOpenCount());
    }

    @Test
    void shouldMatchTheSizesInProtocolMd() {
        assertEquals(74 + 86, HandshakeCodec.initiationBytes(HandshakePattern.XX));
        assertEquals(160, HandshakeCodec.initiationBytes(HandshakePattern.IK_PSK2));
        assertEquals(138, HandshakeCodec.INITIATION_HEADER_BYTES + HandshakePattern.IK.messageLength(0, 0) + 32);
        assertEquals(90, HandshakeCodec.INITIATION_HEADER_BYTES + HandshakePattern.XX_PSK3.messageLength(0, 0) + 32);
        assertEquals(113, HandshakeCodec.responseBytes(HandshakePattern.XX));
        assertEquals(113, HandshakeCodec.responseBytes(HandshakePattern.XX_PSK3));
        assertEquals(65, HandshakeCodec.responseBytes(HandshakePattern.IK));
        assertEquals(65, HandshakeCodec.responseBytes(HandshakePattern.IK_PSK2));
        assertEquals(73, HandshakeCodec.finishBytes(HandshakePattern.XX));
        assertEquals(73, HandshakeCodec.finishBytes(HandshakePattern.XX_PSK3));
        assertEquals(25, HandshakeCodec.COOKIE_REPLY_BYTES);
        assertEquals(27, CipherRefusal.BYTES);
    }

    private SecureInitiator initiator(final PeerKeyPolicy policy, final byte[] psk, final int cookieThreshold) {
        final SecureHandshakeConfig cfg = SecureHandshakeConfig.builder(client, policy).psk(psk)
                .cookieThreshold(cookieThreshold).handshakeTimeoutNs(20_000 * MS).build();
        return new SecureInitiator(cfg, SERVER, random.nextLong(), random);
    }

    private SecureResponder responder(final PeerKeyPolicy policy, final byte[] psk, final int cookieThreshold) {
        final SecureHandshakeConfig cfg = SecureHandshakeConfig.builder(server, policy).psk(psk)
                .cookieThreshold(cookieThreshold).handshakeTimeoutNs(20_000 * MS).build();
        return new SecureResponder(cfg, new CookieValidator(random), random);
    }
}
