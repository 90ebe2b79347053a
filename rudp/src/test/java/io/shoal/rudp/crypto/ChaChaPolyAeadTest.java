package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Differential test against BouncyCastle's own ChaCha20-Poly1305 mode for every length up to 2000; RFC 8439 vectors. */
class ChaChaPolyAeadTest {

    @Test
    void shouldMatchBouncyCastlesModeForEveryLengthAndOffset() throws InvalidCipherTextException {
        final Random random = new Random(8439);
        final ChaChaPolyAead aead = new ChaChaPolyAead();
        for (int len = 0; len <= 2000; len++) {
            check(aead, random, len);
        }
        for (int i = 0; i < 50; i++) {
            check(aead, random, random.nextInt(3000));
        }
    }

    @Test
    void shouldMatchRfc8439AeadVectorWhenSealingAndOpening() {
        // RFC 8439 section 2.8.2.
        final byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        final byte[] ad = hex("50515253c0c1c2c3c4c5c6c7");
        final byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        final byte[] expected = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca967128"
                + "2fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b"
                + "4831d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
        final ChaChaPolyAead aead = new ChaChaPolyAead();
        aead.setKey(key);
        final int n0 = 7;
        final int n1 = 0x43424140;
        final int n2 = 0x47464544;
        final byte[] sealed = new byte[plain.length + 16];
        assertEquals(sealed.length, aead.seal(n0, n1, n2, ad, 0, ad.length, plain, 0, plain.length, sealed, 0));
        assertArrayEquals(expected, sealed);
        final byte[] back = new byte[plain.length];
        assertEquals(plain.length, aead.open(n0, n1, n2, ad, 0, ad.length, sealed, 0, sealed.length, back, 0));
        assertArrayEquals(plain, back);
    }

    @Test
    void shouldMatchRfc8439ChaCha20VectorWhenEncrypting() {
        // RFC 8439 section 2.4.2: counter 1, nonce 00:00:00:00:00:00:00:4a:00:00:00:00.
        final ChaCha20 chacha = new ChaCha20();
        chacha.start(ChaCha20.keyWords(hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                new int[8]), 0, 0x4a000000, 0);
        final byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[plain.length];
        chacha.xor(1, plain, 0, plain.length, out, 0);
        assertArrayEquals(hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f59"
                + "3dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab"
                + "77937365af90bbf74a35be6b40b8eedf2785e42874d"), out);
    }

    @Test
    void shouldMatchRfc8439Poly1305VectorWhenTheMessageIsWholeBlocks() {
        // RFC 8439 appendix A.3 vector 2 (375 bytes would need partial blocks); here #5: r = 2, s = 0, m = 2^128-1.
        final Poly1305Mac mac = new Poly1305Mac();
        final byte[] key = hex("0200000000000000000000000000000000000000000000000000000000000000");
        mac.init(key, 0);
        mac.updatePadded(hex("ffffffffffffffffffffffffffffffff"), 0, 16);
        final byte[] tag = new byte[16];
        mac.finish(tag, 0);
        assertArrayEquals(hex("03000000000000000000000000000000"), tag);
        // A.3 #6: r = 2, s = ff.., m = 2: the final addition of s wraps mod 2^128.
        mac.init(hex("02000000000000000000000000000000ffffffffffffffffffffffffffffffff"), 0);
        mac.updatePadded(hex("02000000000000000000000000000000"), 0, 16);
        mac.finish(tag, 0);
        assertArrayEquals(hex("03000000000000000000000000000000"), tag);
        // A.3 #7: r = 1, m = three blocks summing past p: h wraps around 2^130 - 5.
        mac.init(hex("0100000000000000000000000000000000000000000000000000000000000000"), 0);
        mac.updatePadded(hex("fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
                + "11000000000000000000000000000000"), 0, 48);
        mac.finish(tag, 0);
        assertArrayEquals(hex("05000000000000000000000000000000"), tag);
    }

    @Test
    void shouldRejectAnyFlippedBitAndWriteNothing() {
        final ChaChaPolyAead aead = new ChaChaPolyAead();
        aead.setKey(new byte[32]);
        final byte[] ad = {1, 2, 3};
        final byte[] sealed = new byte[40 + 16];
        aead.seal(9, ad, 0, 3, new byte[40], 0, 40, sealed, 0);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            final byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            final byte[] out = new byte[40];
            Arrays.fill(out, (byte) 0x5a);
            assertEquals(-1, aead.open(9, ad, 0, 3, tampered, 0, tampered.length, out, 0));
            assertEquals(0x5a, out[0] & 0xff);
        }
        assertEquals(-1, aead.open(10, ad, 0, 3, sealed, 0, sealed.length, new byte[40], 0), "other nonce");
    }

    private static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.";

    private static byte[] hex(final String s) {
        final byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void shouldSealPacketsUnderTheNonceWithItsFirstByteSetAndNoAssociatedData() throws InvalidCipherTextException {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        final long counter = 0x0102030405060708L;
        final byte[] nonce = {(byte) 0xE8, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
        final byte[] plain = {1, 2, 3};
        final ChaCha20Poly1305 reference = new ChaCha20Poly1305();
        reference.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, new byte[0]));
        final byte[] expected = new byte[plain.length + 16];
        reference.doFinal(expected, reference.processBytes(plain, 0, plain.length, expected, 0));

        final ChaChaPolyAead aead = new ChaChaPolyAead();
        aead.setKey(key);
        final byte[] ours = new byte[plain.length + 16];
        assertEquals(ours.length, aead.sealPacket(0xE8, counter, plain, 0, plain.length, ours, 0));
        assertArrayEquals(expected, ours);
        final byte[] back = new byte[plain.length];
        assertEquals(plain.length, aead.openPacket(0xE8, counter, ours, 0, ours.length, back, 0));
        assertArrayEquals(plain, back);
        assertEquals(-1, aead.openPacket(0xEE, counter, ours, 0, ours.length, back, 0));
        assertEquals(-1, aead.open(counter, new byte[0], 0, 0, ours, 0, ours.length, back, 0));
    }

    private static void check(final ChaChaPolyAead aead, final Random random, final int len)
            throws InvalidCipherTextException {
        final byte[] key = new byte[32];
        random.nextBytes(key);
        final byte[] ad = new byte[random.nextInt(40)];
        random.nextBytes(ad);
        final byte[] plain = new byte[len];
        random.nextBytes(plain);
        final long counter = random.nextLong() & Long.MAX_VALUE;
        final byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        final ChaCha20Poly1305 reference = new ChaCha20Poly1305();
        reference.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
        final byte[] expected = new byte[len + 16];
        final int n = reference.processBytes(plain, 0, len, expected, 0);
        reference.doFinal(expected, n);

        aead.setKey(key);
        final int off = random.nextInt(7);
        final byte[] actual = new byte[off + len + 16];
        System.arraycopy(plain, 0, actual, off, len);
        assertEquals(len + 16, aead.seal(counter, ad, 0, ad.length, actual, off, len, actual, off), "in place");
        assertArrayEquals(expected, Arrays.copyOfRange(actual, off, off + len + 16), "length " + len);
        final byte[] back = new byte[len + 3];
        assertEquals(len, aead.open(counter, ad, 0, ad.length, actual, off, len + 16, back, 3));
        assertArrayEquals(plain, Arrays.copyOfRange(back, 3, 3 + len));
    }
}
