package io.shoal.rudp.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link X25519Ladder} against BouncyCastle's X25519 over many seeded inputs; the RFC 7748 vectors run on every
 * backend in {@link X25519BackendTest}.
 */
class X25519LadderTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldMatchBouncyCastleOnSeededRandomAndNonCanonicalInputs() {
        final Random random = new Random(20_261_122L);
        final byte[] k = new byte[32];
        final byte[] u = new byte[32];
        final byte[] ours = new byte[32];
        final byte[] theirs = new byte[32];
        for (int i = 0; i < 4_000; i++) {
            random.nextBytes(k);
            random.nextBytes(u);
            switch (i % 4) {
                case 1:
                    u[31] |= (byte) 0x80;   // top bit set: ignored
                    break;
                case 2:
                    nonCanonical(u, random);
                    break;
                case 3:
                    smallLimbs(u, random);
                    break;
                default:
                    break;
            }
            final boolean bc = X25519.calculateAgreement(k, 0, u, 0, theirs, 0);
            final boolean mine = X25519Ladder.scalarMult(k, 0, u, 0, ours, 0);
            assertEquals(bc, mine, "input " + i);
            assertArrayEquals(theirs, ours, "input " + i + ": k=" + HEX.formatHex(k) + " u=" + HEX.formatHex(u));
        }
    }

    /** A u-coordinate from p to 2^255 - 1 (p + 0..18), with a random top bit. */
    static void nonCanonical(final byte[] u, final Random random) {
        java.util.Arrays.fill(u, (byte) 0xFF);
        u[0] = (byte) (0xED + random.nextInt(19));
        u[31] = (byte) (random.nextBoolean() ? 0x7F : 0xFF);
    }

    /** Limbs with many zero or all-one bits, where carries go furthest. */
    static void smallLimbs(final byte[] u, final Random random) {
        for (int j = 0; j < 32; j++) {
            final int pick = random.nextInt(3);
            u[j] = pick == 0 ? 0 : pick == 1 ? (byte) 0xFF : u[j];
        }
    }
}
