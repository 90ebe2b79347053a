package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Differential test of {@link AesGcmAead} against BouncyCastle's {@code GCMBlockCipher} for every length up to 2000
 * with random keys, counters, associated data and offsets; the 256-bit test cases of the GCM specification (McGrew
 * and Viega, test cases 13-16, the NIST submission); Noise's big-endian nonce encoding. Every test runs on each
 * {@link AesGcmProvider}: the JDK's, and ACCP's (AWS-LC) where it loads, which on linux-x86_64 it must.
 */
class AesGcmAeadTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SEVENS = sevens();
    private static final byte[] THREE = {1, 2, 3};
    private static final long COUNTER = 0x0102030405060708L;

    /** @return the JDK's provider, and ACCP's when it loaded */
    static List<Provider> providers() {
        final List<Provider> all = new ArrayList<>(List.of(AesGcmProvider.jdk()));
        if (AesGcmProvider.nativeOrNull() != null) {
            all.add(AesGcmProvider.nativeOrNull());
        }
        return all;
    }

    @Test
    void shouldRunOnAccpOnLinuxX8664() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && "amd64".equals(System.getProperty("os.arch")), "ACCP's jar here carries linux-x86_64 only");
        assertNotNull(AesGcmProvider.nativeOrNull(), AesGcmAead.implementation());
        assertEquals(AesGcmProvider.nativeOrNull(), AesGcmProvider.active());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldMatchBouncyCastleForEveryLengthWithRandomKeysAndNonces(final Provider provider)
            throws InvalidCipherTextException {
        final Random random = new Random(5116);
        final AesGcmAead aead = AesGcmAead.on(provider);
        for (int len = 0; len <= 2000; len++) {
            check(aead, random, len);
        }
        for (int i = 0; i < 50; i++) {
            check(aead, random, random.nextInt(3000));
        }
    }

    @Test
    void shouldMatchBouncyCastleOnBothSidesOfTheSmallPacketSize() throws InvalidCipherTextException {
        // The default instance seals and opens payloads under SMALL_BYTES on the JDK's cipher and longer ones on the
        // active provider's: each length near the edge, both ways (an open's input includes the tag).
        final Random random = new Random(512);
        final AesGcmAead aead = new AesGcmAead();
        for (int len = AesGcmAead.SMALL_BYTES - Aead.TAG_BYTES - 2; len <= AesGcmAead.SMALL_BYTES + 2; len++) {
            check(aead, random, len);
        }
        check(aead, random, 0);
        check(aead, random, 1380);
        assertTrue(aead.hasWorkState());
        aead.releaseWorkState();
        assertFalse(aead.hasWorkState());
        check(aead, random, 40);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldSealAndOpenTheSameAfterItsWorkStateIsReleased(final Provider provider) {
        final Random random = new Random(77);
        final byte[] key = new byte[32];
        random.nextBytes(key);
        final AesGcmAead kept = AesGcmAead.on(provider);
        final AesGcmAead released = AesGcmAead.on(provider);
        kept.setKey(key);
        released.setKey(key);
        final byte[] ad = {1, 2, 3};
        for (long counter = 0; counter < 4; counter++) {
            final byte[] plain = new byte[100 + (int) counter];
            random.nextBytes(plain);
            final byte[] a = new byte[plain.length + Aead.TAG_BYTES];
            final byte[] b = new byte[plain.length + Aead.TAG_BYTES];
            kept.seal(counter, ad, 0, ad.length, plain, 0, plain.length, a, 0);
            released.releaseWorkState(); // as an idle connection does between packets
            released.seal(counter, ad, 0, ad.length, plain, 0, plain.length, b, 0);
            assertArrayEquals(a, b);
            released.releaseWorkState();
            final byte[] opened = new byte[plain.length];
            assertEquals(plain.length, released.open(counter, ad, 0, ad.length, a, 0, a.length, opened, 0));
            assertArrayEquals(plain, opened);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldMatchGcmSpecTestCasesForAes256(final Provider provider) {
        final byte[] zeroKey = new byte[32];
        final byte[] zeroIv = new byte[12];
        vector(provider, zeroKey, zeroIv, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b");
        vector(provider, zeroKey, zeroIv, "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
                "d0d1c8a799996bf0265b98b5d48ab919");
        final byte[] key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        final byte[] iv = hex("cafebabefacedbaddecaf888");
        final String plain = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
        final String cipher = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
        vector(provider, key, iv, "", plain, cipher, "b094dac5d93471bdec1a502270e3cc6c");
        vector(provider, key, iv, "feedfacedeadbeeffeedfacedeadbeefabaddad2", plain.substring(0, 120),
                cipher.substring(0, 120), "76fc6ece0f4e1768cddf8853bb2d551b");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldEncodeTheCounterBigEndianAfterFourZeroBytes(final Provider provider)
            throws InvalidCipherTextException {
        final AesGcmAead aead = keyed(provider, SEVENS);
        final byte[] ours = new byte[THREE.length + Aead.TAG_BYTES];
        aead.seal(COUNTER, new byte[0], 0, 0, THREE, 0, THREE.length, ours, 0);
        assertArrayEquals(bouncy(true, SEVENS, hex("000000000102030405060708"), new byte[0], THREE), ours);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldSealPacketsUnderTheNonceWithItsFirstByteSetAndNoAssociatedData(final Provider provider)
            throws InvalidCipherTextException {
        final AesGcmAead aead = keyed(provider, SEVENS);
        final byte[] ours = new byte[THREE.length + Aead.TAG_BYTES];
        assertEquals(ours.length, aead.sealPacket(0xE8, COUNTER, THREE, 0, THREE.length, ours, 0));
        assertArrayEquals(bouncy(true, SEVENS, hex("e80000000102030405060708"), new byte[0], THREE), ours);
        final byte[] back = new byte[THREE.length];
        assertEquals(THREE.length, aead.openPacket(0xE8, COUNTER, ours, 0, ours.length, back, 0));
        assertArrayEquals(THREE, back);
        assertEquals(-1, aead.openPacket(0xEE, COUNTER, ours, 0, ours.length, back, 0),
            "another first byte is another nonce");
        assertEquals(-1, aead.open(COUNTER, new byte[0], 0, 0, ours, 0, ours.length, back, 0), "never a Noise nonce");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldKeyAes128WithTheFirstHalfOfTheKey(final Provider provider) throws InvalidCipherTextException {
        final Random random = new Random(11);
        final byte[] key = bytes(random, 32);
        final byte[] plain = bytes(random, 1383);
        final AesGcmAead aead = AesGcmAead.aes128On(provider);
        aead.setKey(key);
        final byte[] ours = new byte[plain.length + Aead.TAG_BYTES];
        aead.sealPacket(0xE8, 77, plain, 0, plain.length, ours, 0);
        final byte[] iv = hex("e8000000000000000000004d");
        assertArrayEquals(bouncy(true, Arrays.copyOf(key, 16), iv, new byte[0], plain), ours);
        assertEquals(-1, keyed(provider, key).openPacket(0xE8, 77, ours, 0, ours.length, new byte[plain.length], 0),
            "not an AES-256 packet");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shouldReturnMinusOneWhenTheTagOrAssociatedDataIsWrong(final Provider provider) {
        final AesGcmAead aead = AesGcmAead.on(provider);
        aead.setKey(new byte[32]);
        final byte[] ad = {9, 9};
        final byte[] sealed = new byte[10 + Aead.TAG_BYTES];
        aead.seal(5, ad, 0, ad.length, new byte[10], 0, 10, sealed, 0);
        final byte[] out = new byte[sealed.length];
        assertEquals(-1, aead.open(5, new byte[] {9, 8}, 0, 2, sealed, 0, sealed.length, out, 0));
        assertEquals(-1, aead.open(6, ad, 0, ad.length, sealed, 0, sealed.length, out, 0));
        sealed[3] ^= 1;
        assertEquals(-1, aead.open(5, ad, 0, ad.length, sealed, 0, sealed.length, out, 0));
        assertEquals(-1, aead.open(5, ad, 0, ad.length, sealed, 0, Aead.TAG_BYTES - 1, out, 0));
    }

    private static void check(final AesGcmAead aead, final Random random, final int len)
            throws InvalidCipherTextException {
        final byte[] key = bytes(random, 32);
        final long counter = random.nextLong();
        final byte[] ad = bytes(random, random.nextInt(40));
        final byte[] plain = bytes(random, len);
        final byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        final byte[] expected = bouncy(true, key, iv, ad, plain);
        aead.setKey(key);
        final int inOff = random.nextInt(8);
        final int outOff = random.nextInt(8);
        final byte[] in = new byte[inOff + len];
        System.arraycopy(plain, 0, in, inOff, len);
        final byte[] out = new byte[outOff + len + Aead.TAG_BYTES];
        assertEquals(len + Aead.TAG_BYTES, aead.seal(counter, ad, 0, ad.length, in, inOff, len, out, outOff));
        assertArrayEquals(expected, Arrays.copyOfRange(out, outOff, out.length), "seal, length " + len);
        final byte[] back = new byte[len + 3];
        assertEquals(len, aead.open(counter, ad, 0, ad.length, out, outOff, len + Aead.TAG_BYTES, back, 3));
        assertArrayEquals(plain, Arrays.copyOfRange(back, 3, 3 + len), "open, length " + len);
    }

    private static void vector(final Provider provider, final byte[] key, final byte[] iv, final String ad,
                               final String plain, final String cipher, final String tag) {
        final AesGcmAead aead = AesGcmAead.on(provider);
        aead.setKey(key);
        final byte[] a = hex(ad);
        final byte[] p = hex(plain);
        final byte[] sealed = new byte[p.length + Aead.TAG_BYTES];
        aead.seal(iv, a, 0, a.length, p, 0, p.length, sealed, 0);
        assertArrayEquals(hex(cipher + tag), sealed);
        final byte[] back = new byte[p.length];
        assertEquals(p.length, aead.open(iv, a, 0, a.length, sealed, 0, sealed.length, back, 0));
        assertArrayEquals(p, back);
    }

    private static byte[] bouncy(final boolean encrypt, final byte[] key, final byte[] iv, final byte[] ad,
                                 final byte[] in) throws InvalidCipherTextException {
        final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), 128, iv, ad));
        final byte[] out = new byte[gcm.getOutputSize(in.length)];
        final int n = gcm.processBytes(in, 0, in.length, out, 0);
        gcm.doFinal(out, n);
        return out;
    }

    private static byte[] sevens() {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return key;
    }

    private static AesGcmAead keyed(final Provider provider, final byte[] key) {
        final AesGcmAead aead = AesGcmAead.on(provider);
        aead.setKey(key);
        return aead;
    }

    private static byte[] bytes(final Random random, final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] hex(final String s) {
        return HEX.parseHex(s);
    }
}
