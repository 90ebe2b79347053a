package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Blake2s256} against RFC 7693's vector and BouncyCastle's {@code Blake2sDigest}, and both {@link NoiseMac}s
 * (the pad-state {@link Blake2sHmac} and {@link DigestHmac}) against a plain BouncyCastle {@link HMac} keyed afresh
 * for every message, on seeded random keys of every length around the block size and random messages.
 */
class Blake2sHmacTest {
    private static final long SEED = 0x5eed_b1a4e2L;

    @Test
    void shouldMatchRfc7693WhenHashingAbc() {
        final Blake2s256 d = new Blake2s256();
        final byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        d.update(abc, 0, abc.length);
        final byte[] out = new byte[32];
        d.doFinal(out, 0);
        assertArrayEquals(HexFormat.of().parseHex(
                "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"), out);
    }

    @Test
    void shouldMatchBouncyCastleWhenInputIsSplitAnywhere() {
        final Random random = new Random(SEED);
        final Blake2s256 mine = new Blake2s256();
        for (int len = 0; len <= 300; len++) {
            final byte[] in = new byte[len];
            random.nextBytes(in);
            final int split = len == 0 ? 0 : random.nextInt(len + 1);
            mine.update(in, 0, split);
            for (int i = split; i < len; i++) {
                mine.update(in[i]);
            }
            final byte[] got = new byte[32];
            mine.doFinal(got, 0);
            assertArrayEquals(reference(new Blake2sDigest(256), in), got, "length " + len);
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseHash.class)
    void shouldMatchPlainHmacWhenOneKeyServesSeveralMessages(final NoiseHash hash) {
        final Random random = new Random(SEED ^ hash.ordinal());
        final NoiseMac mac = hash.newMac();
        for (int keyLen = 0; keyLen <= 140; keyLen++) {
            final byte[] key = new byte[keyLen];
            random.nextBytes(key);
            mac.setKey(key);
            for (int m = 0; m < 4; m++) {
                final int len = m == 0 ? 0 : random.nextInt(200);
                final int counter = random.nextBoolean() ? 0 : 1 + random.nextInt(255);
                final byte[] data = new byte[len + 7];
                random.nextBytes(data);
                final byte[] got = new byte[32];
                mac.mac(data, len, counter, got);
                assertArrayEquals(plainHmac(hash, key, data, len, counter), got,
                        hash + " key " + keyLen + " message " + len + " counter " + counter);
            }
        }
    }

    @Test
    void shouldRefuseToMacWhenNoKeyIsSet() {
        assertThrows(IllegalStateException.class, () -> new Blake2sHmac().mac(new byte[1], 1, 0, new byte[32]));
    }

    private static byte[] plainHmac(final NoiseHash hash, final byte[] key, final byte[] data, final int len,
                                    final int counter) {
        final HMac h = new HMac(hash == NoiseHash.BLAKE2S ? new Blake2sDigest(256) : new SHA256Digest());
        h.init(new KeyParameter(key));
        h.update(data, 0, len);
        if (counter > 0) {
            h.update((byte) counter);
        }
        final byte[] out = new byte[32];
        h.doFinal(out, 0);
        return out;
    }

    private static byte[] reference(final Digest d, final byte[] in) {
        d.update(in, 0, in.length);
        final byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
