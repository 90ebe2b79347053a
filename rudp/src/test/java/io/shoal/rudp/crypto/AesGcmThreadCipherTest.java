package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link AesGcmAead#sharingThreadCipher()} instances (a {@link CipherState}'s) give the bytes of instances with a
 * {@code Cipher} of their own, however their calls interleave on one thread or move between threads, including the
 * same key and nonce sealed twice by two states (fixed test keys do that).
 */
class AesGcmThreadCipherTest {
    private static final byte[] AD = {7, 7, 7};

    @Test
    void shouldMatchAnOwnCipherWhenSharingInstancesInterleaveOnOneThread() {
        final Random random = new Random(4242);
        final AesGcmAead[] shared = {AesGcmAead.sharingThreadCipher(), AesGcmAead.sharingThreadCipher()};
        final AesGcmAead[] own = {new AesGcmAead(), new AesGcmAead()};
        for (int i = 0; i < 2; i++) {
            final byte[] key = new byte[32];
            random.nextBytes(key);
            shared[i].setKey(key);
            own[i].setKey(key);
        }
        for (int counter = 0; counter < 200; counter++) {
            final int which = random.nextInt(2);
            final byte[] plain = new byte[random.nextInt(100)];
            random.nextBytes(plain);
            final byte[] expected = seal(own[which], counter, plain);
            final byte[] got = seal(shared[which], counter, plain);
            assertArrayEquals(expected, got, "message " + counter);
            final byte[] opened = new byte[plain.length];
            assertEquals(-1, shared[1 - which].open(counter, AD, 0, AD.length, got, 0, got.length, opened, 0),
                    "the other key must refuse it");
            assertEquals(plain.length, shared[which].open(counter, AD, 0, AD.length, got, 0, got.length, opened, 0));
            assertArrayEquals(plain, opened);
        }
    }

    @Test
    void shouldSealAgainWhenTwoStatesRepeatTheSameKeyAndNonce() {
        final byte[] key = new byte[32];
        key[0] = 1;
        final AesGcmAead first = AesGcmAead.sharingThreadCipher();
        final AesGcmAead second = AesGcmAead.sharingThreadCipher();
        first.setKey(key);
        second.setKey(key);
        final byte[] plain = {1, 2, 3, 4};
        assertArrayEquals(seal(first, 0, plain), seal(second, 0, plain));
    }

    @Test
    void shouldOpenOnAnotherThreadWhatOneThreadSealed() throws Exception {
        final Random random = new Random(99);
        final byte[] key = new byte[32];
        random.nextBytes(key);
        final AesGcmAead aead = AesGcmAead.sharingThreadCipher();
        aead.setKey(key);
        final byte[] plain = new byte[48];
        random.nextBytes(plain);
        final ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            final byte[] sealed = CompletableFuture.supplyAsync(() -> seal(aead, 5, plain), two).get();
            final byte[] opened = CompletableFuture.supplyAsync(() -> {
                final byte[] out = new byte[plain.length];
                aead.open(5, AD, 0, AD.length, sealed, 0, sealed.length, out, 0);
                return out;
            }, two).get();
            assertArrayEquals(plain, opened);
            sealed[3] ^= 1;
            assertEquals(-1, aead.open(5, AD, 0, AD.length, sealed, 0, sealed.length, new byte[48], 0));
            assertArrayEquals(seal(ownKeyed(key), 6, plain), seal(aead, 6, plain),
                    "a refused open leaves the thread's Cipher usable");
        } finally {
            two.shutdownNow();
        }
    }

    private static byte[] seal(final AesGcmAead aead, final long counter, final byte[] plain) {
        final byte[] out = new byte[plain.length + Aead.TAG_BYTES];
        aead.seal(counter, AD, 0, AD.length, plain, 0, plain.length, out, 0);
        return out;
    }

    private static AesGcmAead ownKeyed(final byte[] key) {
        final AesGcmAead own = new AesGcmAead();
        own.setKey(key);
        return own;
    }
}
