package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class X25519KeyPairTest {
    @Test
    void shouldReturnTheSameSecretFromTheStaticCacheAsAFreshDhWhenAskedTwice() throws NoiseException {
        final Random seeded = new Random(7);
        final byte[] a = new byte[32];
        final byte[] b = new byte[32];
        seeded.nextBytes(a);
        seeded.nextBytes(b);
        final X25519KeyPair mine = X25519KeyPair.fromPrivate(a);
        final X25519KeyPair theirs = X25519KeyPair.fromPrivate(b);
        final byte[] peer = theirs.publicKey().bytes();
        final byte[] first = mine.staticDh(peer);
        final byte[] second = mine.staticDh(peer);
        assertArrayEquals(mine.dh(peer), first);
        assertArrayEquals(first, second);
        assertNotSame(first, second, "callers get copies: mixing a key may not alter the cache");
        assertArrayEquals(theirs.dh(mine.publicKey().bytes()), second);
    }

    @Test
    void shouldRefuseTheAllZeroResultEvenThroughTheCache() {
        final X25519KeyPair mine = X25519KeyPair.fromPrivate(new byte[32]);
        assertThrows(NoiseException.class, () -> mine.staticDh(new byte[32]));
        assertThrows(NoiseException.class, () -> mine.staticDh(new byte[32]));
    }
}
