package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Differential test against BouncyCastle's own ChaCha20-Poly1305 mode, every length up to four blocks and more. */
class ChaChaPolyAeadTest {

    @Test
    void shouldMatchBouncyCastlesModeForEveryLengthAndOffset() throws InvalidCipherTextException {
        final Random random = new Random(8439);
        final ChaChaPolyAead aead = new ChaChaPolyAead();
        for (int len = 0; len <= 300; len++) {
            check(aead, random, len);
        }
        for (int i = 0; i < 50; i++) {
            check(aead, random, random.nextInt(3000));
        }
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
