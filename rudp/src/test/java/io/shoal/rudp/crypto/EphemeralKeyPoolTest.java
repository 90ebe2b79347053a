package io.shoal.rudp.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EphemeralKeyPool} hands out every key once, holds at most a batch, draws from the caller's
 * {@link SecureRandom}, keeps threads apart; and {@link X25519Backend#scalarMultBaseBatch} gives, on both backends,
 * the bytes of one key at a time. Seed: {@code -Dshoal.seed}, default below.
 */
class EphemeralKeyPoolTest {
    private static final long SEED = Long.getLong("shoal.seed", 20_261_123L);

    @ParameterizedTest
    @ValueSource(strings = {"java", "libsodium"})
    void shouldGiveTheBytesOfOneKeyAtATimeWhenPublicKeysAreMadeInABatch(final String name) {
        final X25519Backend backend = X25519BackendTest.backend(name);
        final Random random = new Random(SEED);
        for (final int n : new int[] {0, 1, 2, 3, EphemeralKeyPool.BATCH, 33}) {
            final byte[][] k = new byte[n][32];
            final byte[][] batch = new byte[n][32];
            for (final byte[] key : k) {
                random.nextBytes(key);
            }
            backend.scalarMultBaseBatch(k, batch);
            for (int i = 0; i < n; i++) {
                final byte[] one = new byte[32];
                X25519Backend.java().scalarMultBase(k[i], 0, one, 0);
                assertArrayEquals(one, batch[i], name + " batch of " + n + " key " + i + " k="
                        + HexFormat.of().formatHex(k[i]));
            }
        }
    }

    @Test
    void shouldHandOutEveryKeyOnceAndHoldAtMostABatchWhenManyAreTaken() {
        final EphemeralKeyPool pool = new EphemeralKeyPool();
        final SecureRandom random = new SecureRandom();
        final Set<PeerKey> seenPublic = new HashSet<>();
        final Set<String> seenPrivate = new HashSet<>();
        assertEquals(0, pool.held());
        for (int i = 0; i < 3 * EphemeralKeyPool.BATCH + 5; i++) {
            final X25519KeyPair k = pool.takeFrom(random);
            assertTrue(seenPublic.add(k.publicKey()), "public key handed out twice at take " + i);
            assertTrue(seenPrivate.add(HexFormat.of().formatHex(k.privateKeyCopy())), "private key twice at " + i);
            assertEquals(k.publicKey(), X25519KeyPair.fromPrivate(k.privateKeyCopy()).publicKey(), "take " + i);
            assertTrue(pool.held() < EphemeralKeyPool.BATCH, "held " + pool.held());
            assertEquals(EphemeralKeyPool.BATCH - 1 - i % EphemeralKeyPool.BATCH, pool.held(), "take " + i);
        }
    }

    @Test
    void shouldDrawFromTheCallersRandomAndDropTheRestWhenTheRandomChanges() {
        final EphemeralKeyPool pool = new EphemeralKeyPool();
        final CountingRandom first = new CountingRandom();
        final CountingRandom second = new CountingRandom();
        pool.takeFrom(first);
        final long drawnByFirst = first.bytesDrawn;
        assertTrue(drawnByFirst >= EphemeralKeyPool.BATCH * 32L, "first drew " + drawnByFirst);
        pool.takeFrom(first);
        assertEquals(drawnByFirst, first.bytesDrawn, "a key left in the batch must not draw again");
        pool.takeFrom(second);
        assertTrue(second.bytesDrawn >= EphemeralKeyPool.BATCH * 32L, "second drew " + second.bytesDrawn);
        assertEquals(EphemeralKeyPool.BATCH - 1, pool.held(), "the first random's keys are dropped");
    }

    @Test
    void shouldKeepEachThreadsKeysApartWhenTwoThreadsTake() throws Exception {
        final SecureRandom random = new SecureRandom();
        final ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            final CompletableFuture<Set<PeerKey>> a = CompletableFuture.supplyAsync(() -> takeMany(random), two);
            final CompletableFuture<Set<PeerKey>> b = CompletableFuture.supplyAsync(() -> takeMany(random), two);
            final Set<PeerKey> all = new HashSet<>(a.get());
            all.addAll(b.get());
            assertEquals(4 * EphemeralKeyPool.BATCH, all.size(), "a key was handed to both threads");
        } finally {
            two.shutdownNow();
        }
    }

    private static Set<PeerKey> takeMany(final SecureRandom random) {
        final Set<PeerKey> keys = new HashSet<>();
        for (int i = 0; i < 2 * EphemeralKeyPool.BATCH; i++) {
            keys.add(EphemeralKeyPool.take(random).publicKey());
        }
        assertTrue(EphemeralKeyPool.ofThisThread().held() <= EphemeralKeyPool.BATCH);
        return keys;
    }

    /** A real CSPRNG that counts the bytes drawn from it. */
    private static final class CountingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        long bytesDrawn;

        @Override
        public void nextBytes(final byte[] bytes) {
            bytesDrawn += bytes.length;
            super.nextBytes(bytes);
        }
    }
}
