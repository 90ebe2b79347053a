package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AUTO cipher fallback (PROTOCOL.md section 3) on the handshake state machines alone: a refused first choice
 * falls back at once, one round trip later; a forged refusal cannot move a handshake to the other cipher against a
 * responder that accepts the first; refusals bind to one initiation, leave the responder no state and never outgrow
 * the initiation; malformed or stale ones are counted and ignored.
 */
class CipherFallbackTest {
    private static final long MS = 1_000_000L;
    private static final NoiseCipher AES = NoiseCipher.AES_256_GCM;
    private static final NoiseCipher CHACHA = NoiseCipher.CHACHA20_POLY1305;
    private final SecureRandom random = SimSeeds.secureRandom(SimSeeds.resolve(0xFA11_BAC4L));
    private final StaticIdentity client = StaticIdentity.generate(random);
    private final StaticIdentity server = StaticIdentity.generate(random);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldFallBackToTheListedCipherOneRoundTripLaterWhenTheFirstChoiceIsRefused(final boolean ik) {
        for (final NoiseCipher first : NoiseCipher.values()) {
            final NoiseCipher other = first == AES ? CHACHA : AES;
            final SecureInitiator init = initiator(ik, first, true, 41);
            final SecureResponder resp = responder(EnumSet.of(other));
            final HandshakeLink link = new HandshakeLink(3, 0, 0, MS, 0, init, resp);
            // 1 ms each way: the refusal is back at 2 ms, then the fallback's handshake takes what a first one
            // would: IK established at 4 ms, XX's FINISH at the responder at 5 ms. One extra round trip.
            link.run(ik ? 4 * MS : 5 * MS);
            final String what = first + " to " + other + "-only, " + (ik ? "IK" : "XX");
            assertEquals(SecureInitiator.State.ESTABLISHED, init.state(), what);
            assertEquals(other, init.cipher(), what);
            assertEquals(first, init.refusedCipher(), what);
            assertNotEquals(41, init.localConnectionId(), "a fallback runs under a fresh connection id: " + what);
            final HandshakeOutcome accepted = resp.pollEstablished();
            assertNotNull(accepted, what);
            assertEquals(init.localConnectionId(), accepted.peerConnectionId(), what);
            assertEquals(other, accepted.protection().cipher(), what);
            PacketRoundTrip.both(init.outcome().protection(), accepted.protection());
            assertEquals(1, resp.cipherRefused(), what);
            assertEquals(0, resp.downgradesRefused(), what);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldFailInsteadOfDowngradingWhenAForgedRefusalMeetsAResponderAcceptingTheFirstChoice(final boolean ik) {
        final SecureInitiator init = initiator(ik, AES, true, 42);
        final SecureResponder resp = responder(EnumSet.allOf(NoiseCipher.class));
        final ByteBuf initiation = buffer();
        final ByteBuf forged = startAndRefuse(init, initiation);
        final ByteBuf genuine = buffer();
        assertEquals(SecureResponder.Result.RESPONDED, resp.handleInitiation(initiation.duplicate(),
                HandshakeLink.CLIENT, 0, genuine));
        final ByteBuf fallback = buffer();
        assertEquals(SecureInitiator.Result.FELL_BACK, init.handleDatagram(forged, MS, fallback));
        assertEquals(0x80, fallback.getUnsignedByte(1) & 0x80, "the fallback flag is set");
        assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(genuine, MS, buffer()),
                "the first attempt's RESPONSE carries the old id");
        final ByteBuf refusal = buffer();
        assertEquals(SecureResponder.Result.DROPPED_DOWNGRADE,
                resp.handleInitiation(fallback, HandshakeLink.CLIENT, MS, refusal));
        assertEquals(1, resp.downgradesRefused());
        assertEquals(SecureInitiator.Result.FAILED, init.handleDatagram(refusal, 2 * MS, buffer()));
        assertEquals(HandshakeFailure.DOWNGRADE_DETECTED, init.failure());
        assertEquals("the responder accepts CHACHA20_POLY1305, AES_256_GCM, AES_128_GCM and refused the fallback to "
                + "CHACHA20_POLY1305: the refusal of AES_256_GCM was forged (a downgrade attempt)", init.failureReason());
        assertNull(init.outcome());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldFailTheHandshakeWhenTheFallbackFlagIsStrippedOnTheWire(final boolean ik) {
        final SecureInitiator init = initiator(ik, AES, true, 43);
        final SecureResponder resp = responder(EnumSet.allOf(NoiseCipher.class));
        final ByteBuf initiation = buffer();
        final ByteBuf forged = startAndRefuse(init, initiation);
        final ByteBuf fallback = buffer();
        init.handleDatagram(forged, MS, fallback);
        final byte[] bytes = new byte[fallback.readableBytes()];
        fallback.getBytes(0, bytes);
        bytes[1] &= 0x7F; // the attacker hides the fallback, so the responder would take ChaChaPoly; mac1 redone
        final int mac1At = bytes.length - 2 * HandshakeCodec.MAC_BYTES;
        System.arraycopy(HandshakeCodec.mac(HandshakeCodec.mac1Key(ik ? server.publicKey() : null), bytes, 0,
                mac1At), 0, bytes, mac1At, HandshakeCodec.MAC_BYTES);
        final ByteBuf reply = buffer();
        final SecureResponder.Result r = resp.handleInitiation(Unpooled.wrappedBuffer(bytes), HandshakeLink.CLIENT,
                MS, reply);
        if (ik) {
            assertEquals(SecureResponder.Result.DROPPED_DECRYPT_FAILED, r, "IK's message 1 is bound to the prologue");
        } else {
            assertEquals(SecureResponder.Result.RESPONDED, r);
            assertEquals(SecureInitiator.Result.FAILED, init.handleDatagram(reply, 2 * MS, buffer()));
            assertEquals(HandshakeFailure.DECRYPT_FAILED, init.failure());
        }
    }

    @Test
    void shouldFailAtOnceNamingBothSidesWhenTheFallbackIsRefusedToo() {
        final SecureInitiator init = initiator(true, AES, true, 44);
        final SecureResponder resp = responder(EnumSet.of(AES));
        final ByteBuf initiation = buffer();
        final ByteBuf forged = startAndRefuse(init, initiation);
        final ByteBuf fallback = buffer();
        init.handleDatagram(forged, MS, fallback);
        final ByteBuf refusal = buffer();
        assertEquals(SecureResponder.Result.DROPPED_CIPHER_REFUSED,
                resp.handleInitiation(fallback, HandshakeLink.CLIENT, MS, refusal));
        assertEquals(SecureInitiator.Result.FAILED, init.handleDatagram(refusal, 2 * MS, buffer()));
        assertEquals(HandshakeFailure.CIPHER_REFUSED, init.failure());
        assertEquals("the responder accepts only AES_256_GCM and refused AES_256_GCM, then the fallback to "
                + "CHACHA20_POLY1305", init.failureReason());
    }

    @Test
    void shouldCountAndIgnoreRefusalsThatDoNotAnswerTheCurrentInitiation() {
        final SecureInitiator init = initiator(true, AES, true, 45);
        final ByteBuf initiation = buffer();
        final ByteBuf genuine = startAndRefuse(init, initiation);
        final List<Consumer<ByteBuf>> damage = List.of(
            b -> b.writerIndex(b.writerIndex() - 1),                  // truncated
            b -> b.writeByte(0),                                      // too long
            b -> b.setByte(9, b.getByte(9) ^ 0x80),                   // another suite byte
            b -> b.setByte(11, b.getByte(11) ^ 1),                    // another initiation's mac1
            b -> b.setByte(10, 0),                                    // lists nothing
            b -> b.setByte(10, CipherRefusal.mask(Set.of(AES))));     // "refuses" what it lists
        for (int i = 0; i < damage.size(); i++) {
            final ByteBuf bad = buffer().writeBytes(genuine, 0, genuine.readableBytes());
            damage.get(i).accept(bad);
            assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(bad, MS, buffer()), "case " + i);
            assertEquals(i + 1, init.badRefusals(), "case " + i);
        }
        final ByteBuf otherId = buffer().writeBytes(genuine, 0, genuine.readableBytes());
        otherId.setLong(1, 46);
        assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(otherId, MS, buffer()));
        assertEquals(damage.size(), init.badRefusals(), "another connection's packet is not ours to count");
        assertEquals(SecureInitiator.State.AWAITING_RESPONSE, init.state());
        assertEquals(AES, init.cipher(), "nothing moved the handshake");
        assertEquals(SecureInitiator.Result.FELL_BACK, init.handleDatagram(genuine, MS, buffer()));
    }

    @Test
    void shouldIgnoreARefusalOfTheEarlierAttempt() {
        final SecureInitiator init = initiator(false, AES, true, 47);
        final ByteBuf initiation = buffer();
        final ByteBuf refusal = startAndRefuse(init, initiation);
        assertEquals(SecureInitiator.Result.FELL_BACK, init.handleDatagram(refusal.duplicate(), MS, buffer()));
        final long badBefore = init.badRefusals();
        assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(refusal.duplicate(), MS, buffer()),
                "a copy of the first refusal (a retransmitted first initiation's) carries the old id");
        final ByteBuf oldMac = buffer().writeBytes(refusal, 0, refusal.readableBytes());
        oldMac.setLong(1, init.localConnectionId()); // even under the new id, it echoes the old initiation's mac1
        assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(oldMac, MS, buffer()));
        assertEquals(badBefore + 1, init.badRefusals());
        assertEquals(SecureInitiator.State.AWAITING_RESPONSE, init.state());
        assertEquals(CHACHA, init.cipher());
    }

    @Test
    void shouldKeepNoStateAndNeverOutgrowTheInitiationWhenRefusingSpoofedSources() {
        for (final boolean ik : new boolean[] {false, true}) {
            for (final boolean psk : new boolean[] {false, true}) {
                final byte[] key = psk ? new byte[32] : null;
                final SecureResponder resp = new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), key)
                        .acceptedCiphers(Set.of(CHACHA)).build(), new CookieValidator(random), random);
                for (int i = 0; i < 200; i++) {
                    final SecureInitiator init = new SecureInitiator(config(client, ik
                            ? PeerKeyPolicy.pinned(server.publicKey()) : PeerKeyPolicy.acceptAny(), key)
                            .cipher(AES).build(), "server", 1000 + i, random);
                    final ByteBuf initiation = buffer();
                    init.start(0, initiation);
                    final ByteBuf reply = buffer();
                    final InetSocketAddress spoofed = new InetSocketAddress("192.0.2." + (i % 250 + 1), 1024 + i);
                    assertEquals(SecureResponder.Result.DROPPED_CIPHER_REFUSED,
                            resp.handleInitiation(initiation, spoofed, i * MS, reply));
                    assertEquals(CipherRefusal.BYTES, reply.readableBytes());
                    assertTrue(reply.readableBytes() <= initiation.readableBytes());
                }
                assertEquals(0, resp.rememberedCount(), "ik " + ik + " psk " + psk);
                assertEquals(SecureResponder.NO_DEADLINE, resp.nextDeadlineNs());
                assertEquals(200, resp.cipherRefused());
            }
        }
    }

    @Test
    void shouldBeDemultiplexedAndRoutedLikeACookieReply() {
        final SecureInitiator init = initiator(true, AES, true, 48);
        final ByteBuf initiation = buffer();
        final ByteBuf refusal = startAndRefuse(init, initiation);
        assertEquals(DatagramKind.SECURE, DatagramDemux.classify(refusal));
        assertEquals(SecurePacketType.COOKIE_REPLY, SecurePacketType.of(refusal.getUnsignedByte(0)));
        assertEquals(1, SecurePacketType.keyPhase(CipherRefusal.FIRST_BYTE));
        assertEquals(SecureInitiator.Result.IGNORED, init.handleDatagram(buffer().writeByte(0xE4)
                .writeBytes(refusal, 1, CipherRefusal.BYTES - 1), MS, buffer()), "E4 at 27 bytes is no cookie reply");
    }

    /** Starts {@code init} into {@code initiation}; returns a refusal of that initiation listing only ChaChaPoly. */
    private ByteBuf startAndRefuse(final SecureInitiator init, final ByteBuf initiation) {
        init.start(0, initiation);
        final ByteBuf refusal = buffer();
        CipherRefusal.write(initiation, CipherRefusal.mask(Set.of(CHACHA)), refusal);
        return refusal;
    }

    private SecureInitiator initiator(final boolean ik, final NoiseCipher first, final boolean fallback,
                                      final long id) {
        return new SecureInitiator(config(client, ik ? PeerKeyPolicy.pinned(server.publicKey())
                : PeerKeyPolicy.acceptAny(), null).cipher(first).cipherFallback(fallback).build(), "server", id,
                random);
    }

    private SecureResponder responder(final Set<NoiseCipher> accepted) {
        return new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), null).acceptedCiphers(accepted).build(),
                new CookieValidator(random), random);
    }

    private ByteBuf buffer() {
        final ByteBuf b = Unpooled.buffer();
        buffers.add(b);
        return b;
    }

    private static SecureHandshakeConfig.Builder config(final StaticIdentity identity, final PeerKeyPolicy policy,
                                                        final byte[] psk) {
        return SecureHandshakeConfig.builder(identity, policy).psk(psk).handshakeTimeoutNs(5_000 * MS);
    }
}
