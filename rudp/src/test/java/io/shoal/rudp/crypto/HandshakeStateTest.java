package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeStateTest {
    private static final byte[] PROLOGUE = "shoal test".getBytes(StandardCharsets.US_ASCII);
    private final SecureRandom random = new SecureRandom();
    private final X25519KeyPair alice = X25519KeyPair.generate(random);
    private final X25519KeyPair bob = X25519KeyPair.generate(random);
    private final byte[] psk = new byte[32];

    @ParameterizedTest
    @EnumSource(HandshakePattern.class)
    void shouldAgreeOnKeysAndIdentitiesWhenBothSidesFollowThePattern(final HandshakePattern pattern)
            throws NoiseException {
        for (final NoiseCipher cipher : NoiseCipher.values()) {
            agree(pattern, cipher);
        }
    }

    private void agree(final HandshakePattern pattern, final NoiseCipher cipher) throws NoiseException {
        final HandshakeState[] pair = pair(pattern, cipher, cipher, bob.publicKey(), psk, psk);
        run(pair[0], pair[1], -1);
        assertEquals(bob.publicKey(), pair[0].remoteStatic());
        assertEquals(alice.publicKey(), pair[1].remoteStatic());
        assertArrayEquals(pair[0].handshakeHash(), pair[1].handshakeHash());
        final CipherState[] a = pair[0].split();
        assertEquals(cipher, a[1].cipher());
        final CipherState[] b = pair[1].split();
        final byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(msg, b[0].decryptWithAd(new byte[0], a[0].encryptWithAd(new byte[0], msg)));
        assertArrayEquals(msg, a[1].decryptWithAd(new byte[0], b[1].encryptWithAd(new byte[0], msg)));
    }

    @ParameterizedTest
    @EnumSource(HandshakePattern.class)
    void shouldRejectEveryFlippedBitInEveryMessage(final HandshakePattern pattern) throws NoiseException {
        final Random seeded = new Random(42);
        for (int message = 0; message < pattern.messageCount(); message++) {
            for (int trial = 0; trial < 16; trial++) {
                final HandshakeState[] pair = pair(pattern, bob.publicKey(), psk, psk);
                final int target = message;
                final int bit = seeded.nextInt(1 << 16);
                // The first message of XX is plaintext (an ephemeral key and a payload): a flipped bit there is
                // caught by the second message, whose tag covers the transcript.
                assertThrows(NoiseException.class, () -> run(pair[0], pair[1], target * 65536 + bit));
            }
        }
    }

    @Test
    void shouldFailWhenPresharedKeysDiffer() {
        final byte[] other = new byte[32];
        other[0] = 1;
        final HandshakeState[] pair = pair(HandshakePattern.IK_PSK2, bob.publicKey(), psk, other);
        assertThrows(NoiseException.class, () -> run(pair[0], pair[1], -1));
    }

    @Test
    void shouldFailWhenInitiatorExpectsAnotherResponderKey() {
        final HandshakeState[] pair = pair(HandshakePattern.IK, X25519KeyPair.generate(random).publicKey(), null, null);
        assertThrows(NoiseException.class, () -> run(pair[0], pair[1], -1));
    }

    @Test
    void shouldFailWhenTheSidesRunDifferentCiphers() {
        // The cipher is part of the protocol name, which seeds h: the first tag already disagrees.
        final HandshakeState[] pair = pair(HandshakePattern.IK, NoiseCipher.AES_256_GCM,
                NoiseCipher.CHACHA20_POLY1305, bob.publicKey(), null, null);
        assertThrows(NoiseException.class, () -> run(pair[0], pair[1], -1));
    }

    @Test
    void shouldRefuseToWriteOutOfTurn() {
        final HandshakeState[] pair = pair(HandshakePattern.XX, null, null, null);
        assertThrows(IllegalStateException.class, () -> pair[1].writeMessage(new byte[0]));
    }

    private HandshakeState[] pair(final HandshakePattern pattern, final PeerKey known, final byte[] initPsk,
                                  final byte[] respPsk) {
        return pair(pattern, NoiseCipher.CHACHA20_POLY1305, NoiseCipher.CHACHA20_POLY1305, known, initPsk, respPsk);
    }

    private HandshakeState[] pair(final HandshakePattern pattern, final NoiseCipher initCipher,
                                  final NoiseCipher respCipher, final PeerKey known, final byte[] initPsk,
                                  final byte[] respPsk) {
        final boolean psk = pattern.usesPsk();
        return new HandshakeState[] {
            new HandshakeState(pattern, true, initCipher, NoiseHash.BLAKE2S, PROLOGUE, alice,
                    pattern.needsResponderKey() ? known : null, psk ? initPsk : null, random),
            new HandshakeState(pattern, false, respCipher, NoiseHash.BLAKE2S, PROLOGUE, bob, null,
                    psk ? respPsk : null, random),
        };
    }

    /** Runs the handshake; {@code corrupt} = message * 65536 + bit flips that bit of that message (mod length). */
    private static void run(final HandshakeState init, final HandshakeState resp, final int corrupt)
            throws NoiseException {
        for (int i = 0; !init.isComplete(); i++) {
            final HandshakeState w = i % 2 == 0 ? init : resp;
            final HandshakeState r = i % 2 == 0 ? resp : init;
            final byte[] m = w.writeMessage(new byte[] {(byte) i});
            if (corrupt >= 0 && corrupt / 65536 == i) {
                final int bit = (corrupt % 65536) % (m.length * 8);
                m[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            r.readMessage(m);
        }
        assertTrue(resp.isComplete());
    }
}
