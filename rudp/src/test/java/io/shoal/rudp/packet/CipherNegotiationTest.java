package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cipher negotiation (PROTOCOL.md section 3): the initiator proposes a cipher in the suite byte, bound into the
 * prologue; the responder takes it if its accepted set has it and answers with a {@link CipherRefusal} otherwise,
 * which fails an explicit proposal at once. Every pairing of proposal and accepted set, with every pattern; the wire
 * byte of a ChaChaPoly initiation; a downgrade on the wire. The AUTO fallback is {@link CipherFallbackTest}.
 */
class CipherNegotiationTest {
    private static final long MS = 1_000_000L;
    private static final List<Set<NoiseCipher>> ACCEPTED = List.of(EnumSet.of(NoiseCipher.CHACHA20_POLY1305),
            EnumSet.of(NoiseCipher.AES_256_GCM), EnumSet.allOf(NoiseCipher.class));
    private final SecureRandom random = new SecureRandom();
    private final StaticIdentity client = StaticIdentity.generate(random);
    private final StaticIdentity server = StaticIdentity.generate(random);

    @Test
    void shouldUseTheProposedCipherWhenAcceptedAndFailAtOnceWithAReasonWhenNot() {
        for (final NoiseCipher proposed : NoiseCipher.values()) {
            for (final Set<NoiseCipher> accepted : ACCEPTED) {
                for (final boolean ik : new boolean[] {false, true}) {
                    for (final boolean psk : new boolean[] {false, true}) {
                        negotiate(proposed, accepted, ik, psk ? new byte[32] : null);
                    }
                }
            }
        }
    }

    private void negotiate(final NoiseCipher proposed, final Set<NoiseCipher> accepted, final boolean ik,
                           final byte[] psk) {
        final String what = proposed + " to " + accepted + (ik ? " IK" : " XX") + (psk != null ? " psk" : "");
        final SecureInitiator init = new SecureInitiator(config(client, ik ? PeerKeyPolicy.pinned(server.publicKey())
                : PeerKeyPolicy.acceptAny(), psk).cipher(proposed).build(), "server", random.nextLong(), random);
        final SecureResponder resp = new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), psk)
                .acceptedCiphers(accepted).build(), new CookieValidator(random), random);
        final HandshakeLink link = new HandshakeLink(7, 0, 0, MS, 0, init, resp);
        link.run(60_000 * MS);
        if (accepted.contains(proposed)) {
            assertEquals(SecureInitiator.State.ESTABLISHED, init.state(), what);
            final HandshakeOutcome b = resp.pollEstablished();
            assertNotNull(b, what);
            assertEquals(proposed, init.outcome().protection().cipher(), what);
            assertEquals(proposed, b.protection().cipher(), what);
            PacketRoundTrip.both(init.outcome().protection(), b.protection());
            assertEquals(0, resp.cipherRefused(), what);
        } else {
            assertEquals(HandshakeFailure.CIPHER_REFUSED, init.failure(), what);
            assertEquals(2 * MS, link.nowNs(), "failed on the refusal, one round trip in: " + what);
            assertEquals("the responder accepts only " + CipherRefusal.describe(CipherRefusal.mask(accepted))
                    + " and refused " + proposed + ", chosen explicitly (no fallback)", init.failureReason(), what);
            assertEquals(1, resp.cipherRefused(), what);
            assertNull(resp.pollEstablished(), what);
            assertEquals(0, resp.halfOpenCount(), "a refused initiation leaves no state: " + what);
        }
    }

    @Test
    void shouldAnswerARefusedCipherWithARefusalNoLargerThanTheInitiation() {
        final SecureInitiator init = new SecureInitiator(config(client, PeerKeyPolicy.acceptAny(), null)
                .cipher(NoiseCipher.AES_256_GCM).build(), "server", 9, random);
        final SecureResponder resp = new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), null)
                .acceptedCiphers(Set.of(NoiseCipher.CHACHA20_POLY1305)).build(), new CookieValidator(random), random);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        final ByteBuf reply = Unpooled.buffer();
        assertEquals(SecureResponder.Result.DROPPED_CIPHER_REFUSED,
                resp.handleInitiation(out, HandshakeLink.CLIENT, 0, reply));
        assertEquals(CipherRefusal.BYTES, reply.readableBytes());
        assertTrue(reply.readableBytes() <= out.readableBytes(), "no amplification");
        assertEquals(0xE5, reply.getUnsignedByte(0), "COOKIE_REPLY's type with the key-phase bit");
        assertEquals(9, reply.getLong(1), "bound to the initiator's id");
        assertEquals(CipherRefusal.mask(Set.of(NoiseCipher.CHACHA20_POLY1305)), reply.getUnsignedByte(10));
        assertEquals(1, resp.cipherRefused());
        assertEquals(0, resp.rememberedCount(), "no state kept");
        out.release();
        reply.release();
    }

    @Test
    void shouldKeepTheChaChaPolyWireByteAndSetTheHighNibbleForAesGcm() {
        for (final HandshakePattern pattern : HandshakePattern.values()) {
            assertEquals(pattern.ordinal(), HandshakeCodec.suiteByte(pattern, NoiseCipher.CHACHA20_POLY1305));
            final int aes = HandshakeCodec.suiteByte(pattern, NoiseCipher.AES_256_GCM);
            assertEquals(0x10 | pattern.ordinal(), aes);
            assertEquals(pattern, HandshakeCodec.pattern(aes));
            assertEquals(NoiseCipher.AES_256_GCM, HandshakeCodec.cipher(aes));
            final int aes128 = HandshakeCodec.suiteByte(pattern, NoiseCipher.AES_128_GCM);
            assertEquals(0x20 | pattern.ordinal(), aes128);
            assertEquals(NoiseCipher.AES_128_GCM, HandshakeCodec.cipher(aes128));
        }
        assertNull(HandshakeCodec.cipher(0x30), "unknown cipher ids are malformed, not ChaChaPoly");
        final SecureInitiator init = new SecureInitiator(config(client, PeerKeyPolicy.acceptAny(), null)
                .cipher(NoiseCipher.CHACHA20_POLY1305).build(), "server", 1, random);
        final ByteBuf out = Unpooled.buffer();
        init.start(0, out);
        assertEquals(0xE0, out.getUnsignedByte(0));
        assertEquals(0, out.getUnsignedByte(1), "XX with ChaChaPoly: the byte shoal sent before negotiation");
        out.release();
    }

    @Test
    void shouldFailTheHandshakeWhenTheSuiteByteIsDowngradedOnTheWire() {
        for (final boolean ik : new boolean[] {false, true}) {
            final SecureInitiator init = new SecureInitiator(config(client, ik
                    ? PeerKeyPolicy.pinned(server.publicKey()) : PeerKeyPolicy.acceptAny(), null)
                    .cipher(NoiseCipher.AES_256_GCM).build(), "server", 3, random);
            final SecureResponder resp = new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), null)
                    .build(), new CookieValidator(random), random);
            final ByteBuf out = Unpooled.buffer();
            init.start(0, out);
            out.setByte(1, out.getUnsignedByte(1) & 0x0F); // AESGCM -> ChaChaPoly; mac1 recomputed below
            final byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(0, bytes);
            final int mac1At = bytes.length - 2 * HandshakeCodec.MAC_BYTES;
            System.arraycopy(HandshakeCodec.mac(HandshakeCodec.mac1Key(ik ? server.publicKey() : null), bytes, 0,
                    mac1At), 0, bytes, mac1At, HandshakeCodec.MAC_BYTES);
            final ByteBuf reply = Unpooled.buffer();
            final SecureResponder.Result r = resp.handleInitiation(Unpooled.wrappedBuffer(bytes), HandshakeLink.CLIENT,
                    0, reply);
            if (ik) {
                // IK's first message is already encrypted under a key bound to the prologue.
                assertEquals(SecureResponder.Result.DROPPED_DECRYPT_FAILED, r);
            } else {
                assertEquals(SecureResponder.Result.RESPONDED, r);
                assertEquals(SecureInitiator.Result.FAILED, init.handleDatagram(reply, MS, Unpooled.buffer()));
                assertEquals(HandshakeFailure.DECRYPT_FAILED, init.failure());
            }
            out.release();
            reply.release();
        }
    }

    @Test
    void shouldUpdateKeysUnderTheNegotiatedAesGcmWithATinyPacketBudget() {
        final PacketProtectionConfig tiny = PacketProtectionConfig.builder()
                .keyUpdatePackets(PacketProtectionConfig.MIN_PACKETS_PER_KEY).build();
        final SecureInitiator init = new SecureInitiator(config(client, PeerKeyPolicy.acceptAny(), null)
                .cipher(NoiseCipher.AES_256_GCM).protection(tiny).build(), "server", 5, random);
        final SecureResponder resp = new SecureResponder(config(server, PeerKeyPolicy.acceptAny(), null)
                .protection(tiny).build(), new CookieValidator(random), random);
        new HandshakeLink(11, 0, 0, MS, 0, init, resp).run(60_000 * MS);
        final PacketProtection a = init.outcome().protection();
        final PacketProtection b = resp.pollEstablished().protection();
        final int packets = 5 * (int) PacketProtectionConfig.MIN_PACKETS_PER_KEY + 7;
        for (int i = 0; i < packets; i++) {
            PacketRoundTrip.both(a, b);
        }
        assertEquals(NoiseCipher.AES_256_GCM, a.stats().cipher());
        assertEquals(5, a.stats().sendKeyUpdates());
        assertEquals(5, b.stats().receiveKeyUpdates());
        assertEquals(5, b.stats().sendKeyUpdates());
        assertEquals(0, b.stats().authFailed() + a.stats().authFailed());
    }

    private static SecureHandshakeConfig.Builder config(final StaticIdentity identity, final PeerKeyPolicy policy,
                                                        final byte[] psk) {
        return SecureHandshakeConfig.builder(identity, policy).psk(psk).handshakeTimeoutNs(5_000 * MS);
    }
}
