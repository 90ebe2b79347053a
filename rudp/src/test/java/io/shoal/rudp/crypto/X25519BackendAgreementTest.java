package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libsodium and Java {@link X25519Backend}s give the same bytes and the same verdict on seeded inputs, hostile
 * ones included, and {@link X25519Backend#active()} is libsodium whenever it loads (so {@code NoiseVectorsTest} and
 * every handshake test run on it here). Seed: {@code -Dshoal.seed}, default below; a failure prints its input.
 */
class X25519BackendAgreementTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long SEED = Long.getLong("shoal.seed", 20_261_122L);

    @Test
    void shouldGiveTheSameResultOnBothBackendsWhenTheInputsAreSeededRandomLowOrderOrNonCanonical() {
        final X25519Backend sodium = X25519BackendTest.backend("libsodium");
        final X25519Backend java = X25519Backend.java();
        final Random random = new Random(SEED);
        final byte[] k = new byte[32];
        final byte[] u = new byte[32];
        final byte[] fromSodium = new byte[32];
        final byte[] fromJava = new byte[32];
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            random.nextBytes(k);
            random.nextBytes(u);
            switch (i % 5) {
                case 1:
                    u[31] |= (byte) 0x80;   // top bit set: ignored
                    break;
                case 2:
                    X25519LadderTest.nonCanonical(u, random);
                    break;
                case 3:
                    X25519LadderTest.smallLimbs(u, random);
                    break;
                case 4:
                    final String[] low = X25519BackendTest.SMALL_ORDER;
                    System.arraycopy(HEX.parseHex(low[random.nextInt(low.length)]), 0, u, 0, 32);
                    break;
                default:
                    break;
            }
            final String input = "seed " + SEED + " input " + i + ": k=" + HEX.formatHex(k) + " u=" + HEX.formatHex(u);
            final boolean okSodium = sodium.scalarMult(k, 0, u, 0, fromSodium, 0);
            final boolean okJava = java.scalarMult(k, 0, u, 0, fromJava, 0);
            assertEquals(okJava, okSodium, input);
            assertArrayEquals(fromJava, fromSodium, input);
            if (i % 5 == 4) {
                assertFalse(okJava, input);
            }
            refused += okJava ? 0 : 1;
        }
        // 200 small-order points, plus the non-canonical encodings of 0 and 1 (p and p + 1), 2 in 19 of 200 inputs.
        assertTrue(refused >= 200 && refused < 250, "refused " + refused);
    }

    @Test
    void shouldDeriveTheSamePublicKeyOnBothBackendsWhenTheScalarsAreSeededRandom() {
        final X25519Backend sodium = X25519BackendTest.backend("libsodium");
        final Random random = new Random(SEED);
        final byte[] k = new byte[32];
        final byte[] base = new byte[32];
        base[0] = 9;
        final byte[] fromSodium = new byte[32];
        final byte[] fromJava = new byte[32];
        final byte[] viaLadder = new byte[32];
        for (int i = 0; i < 1_000; i++) {
            random.nextBytes(k);
            if (i == 0) {
                java.util.Arrays.fill(k, (byte) 0);  // the scalar libsodium's Ed25519 call answers -1 for
            }
            sodium.scalarMultBase(k, 0, fromSodium, 0);
            X25519Backend.java().scalarMultBase(k, 0, fromJava, 0);
            sodium.scalarMult(k, 0, base, 0, viaLadder, 0);
            final String input = "seed " + SEED + " input " + i + ": k=" + HEX.formatHex(k);
            assertArrayEquals(fromJava, fromSodium, input);
            assertArrayEquals(viaLadder, fromSodium, input);
        }
    }

    @Test
    void shouldChooseLibsodiumWhenItLoadsAndJavaWithAReasonWhenItDoesNot() {
        if (Sodium.isAvailable()) {
            assertSame(X25519Backend.sodium(), X25519Backend.active());
            assertNull(X25519Backend.nativeUnavailableReason());
        } else {
            assertSame(X25519Backend.java(), X25519Backend.active());
            assertNotNull(X25519Backend.nativeUnavailableReason());
            assertNull(X25519Backend.sodium());
        }
    }
}
