package io.shoal.rudp.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every {@link X25519Backend} against RFC 7748's vectors (sections 5.2 and 6.1) and its small-order rule. The
 * libsodium runs skip, saying why, when libsodium does not load here.
 */
class X25519BackendTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Points of order 1, 2, 4 or 8, and p and p + 1 (non-canonical 0 and 1), each also with bit 255 set, which
     * X25519 ignores: every one gives the all-zero result for every clamped scalar.
     */
    static final String[] SMALL_ORDER = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    };

    /** @return the backend named {@code java} or {@code libsodium}; skips the test when libsodium is not loaded */
    static X25519Backend backend(final String name) {
        if ("java".equals(name)) {
            return X25519Backend.java();
        }
        assumeTrue(Sodium.isAvailable(), () -> "libsodium backend not tested: " + Sodium.unavailableReason());
        return X25519Backend.sodium();
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldPassTheKnownAnswerCheckThatChoosesTheBackend(final String name) {
        assertNull(X25519BackendChoice.knownAnswerFailure(backend(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldMatchTheRfc7748ScalarMultiplicationVectors(final String name) {
        final X25519Backend x = backend(name);
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                x25519(x, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        // u has its top bit set, which X25519 ignores
        assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
                x25519(x, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldMatchTheRfc7748IteratedVectorAfterOneAndAThousandRounds(final String name) {
        final X25519Backend x = backend(name);
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 1; i <= 1000; i++) {
            final byte[] out = new byte[32];
            x.scalarMult(k, 0, u, 0, out, 0);
            u = k;
            k = out;
            if (i == 1) {
                assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", HEX.formatHex(k));
            }
        }
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", HEX.formatHex(k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldAgreeOnTheRfc7748DiffieHellmanExampleFromBothSides(final String name) {
        final X25519Backend x = backend(name);
        final String alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        final String bob = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        final String basePoint = "0900000000000000000000000000000000000000000000000000000000000000";
        final String alicePublic = x25519(x, alice, basePoint);
        final String bobPublic = x25519(x, bob, basePoint);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", alicePublic);
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", bobPublic);
        assertEquals(alicePublic, base(x, alice), "fixed-base path");
        assertEquals(bobPublic, base(x, bob), "fixed-base path");
        final String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, x25519(x, alice, bobPublic));
        assertEquals(shared, x25519(x, bob, alicePublic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldWriteZerosAndReportFalseWhenThePointHasSmallOrder(final String name) {
        final X25519Backend x = backend(name);
        final Random random = new Random(5);
        final byte[] k = new byte[32];
        final byte[] out = new byte[32];
        for (final String point : SMALL_ORDER) {
            random.nextBytes(k);
            Arrays.fill(out, (byte) 0x5A);
            assertFalse(x.scalarMult(k, 0, HEX.parseHex(point), 0, out, 0), point);
            assertArrayEquals(new byte[32], out, point);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldHonourOffsetsAndLeaveTheInputsUntouchedWhenTheyAreInsideLargerArrays(final String name) {
        final X25519Backend x = backend(name);
        final Random random = new Random(11);
        final byte[] buf = new byte[100];
        random.nextBytes(buf);
        final byte[] before = buf.clone();
        final byte[] expected = new byte[32];
        X25519Backend.java().scalarMult(Arrays.copyOfRange(buf, 3, 35), 0, Arrays.copyOfRange(buf, 40, 72), 0,
                expected, 0);
        final byte[] out = new byte[40];
        assertTrue(x.scalarMult(buf, 3, buf, 40, out, 7));
        assertArrayEquals(expected, Arrays.copyOfRange(out, 7, 39));
        x.scalarMultBase(buf, 50, out, 1);
        assertEquals(base(X25519Backend.java(), HEX.formatHex(buf, 50, 82)), HEX.formatHex(out, 1, 33));
        assertArrayEquals(before, buf, "inputs untouched: the scalar is clamped on a copy");
    }

    private static String x25519(final X25519Backend x, final String k, final String u) {
        final byte[] out = new byte[32];
        x.scalarMult(HEX.parseHex(k), 0, HEX.parseHex(u), 0, out, 0);
        return HEX.formatHex(out);
    }

    private static String base(final X25519Backend x, final String k) {
        final byte[] out = new byte[32];
        x.scalarMultBase(HEX.parseHex(k), 0, out, 0);
        return HEX.formatHex(out);
    }
}
