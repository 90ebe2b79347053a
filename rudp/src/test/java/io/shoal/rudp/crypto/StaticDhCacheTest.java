package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StaticDhCacheTest {
    private static final byte[] PROLOGUE = "shoal cache test".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldKeepAtMostMaxEntriesAndForgetTheLeastRecentlyUsedWhenFull() {
        final StaticDhCache cache = new StaticDhCache(4);
        final PeerKey[] peers = new PeerKey[6];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = PeerKey.of(filled(i + 1));
            cache.put(peers[i], filled(100 + i));
            if (i == 2) {
                assertNotNull(cache.get(peers[0]), "touching peer 0 makes peer 1 the least recently used");
            }
        }
        final StaticDhCache.Stats stats = cache.stats();
        assertEquals(4, stats.size());
        assertEquals(2, stats.evictions());
        assertNull(cache.get(peers[1]));
        assertNull(cache.get(peers[2]));
        assertArrayEquals(filled(100), cache.get(peers[0]));
        assertArrayEquals(filled(105), cache.get(peers[5]));
        assertEquals(new StaticDhCache.Stats(3, 2, 2, 4), cache.stats());
    }

    @Test
    void shouldHandOutCopiesSoCallersAndEvictionCannotChangeEachOther() {
        final StaticDhCache cache = new StaticDhCache(1);
        final PeerKey a = PeerKey.of(filled(1));
        final byte[] stored = filled(7);
        cache.put(a, stored);
        stored[0] = 0;
        final byte[] got = cache.get(a);
        assertArrayEquals(filled(7), got);
        got[1] = 0;
        assertArrayEquals(filled(7), cache.get(a));
        cache.put(PeerKey.of(filled(2)), filled(8)); // evicts a, zeroing the cache's own copy only
        final byte[] expected = filled(7);
        expected[1] = 0; // the test's own write
        assertArrayEquals(expected, got);
        assertNull(cache.get(a));
    }

    @Test
    void shouldRefuseANonPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> new StaticDhCache(0));
    }

    @Test
    void shouldCountOneMissThenHitsForAReturningPeer() throws NoiseException {
        final Random seeded = new Random(11);
        final X25519KeyPair server = X25519KeyPair.fromPrivate(bytes(seeded));
        final X25519KeyPair client = X25519KeyPair.fromPrivate(bytes(seeded));
        for (int i = 0; i < 3; i++) {
            server.staticDh(client.publicKey().bytes());
        }
        assertEquals(new StaticDhCache.Stats(2, 1, 0, 1), server.staticDhStats());
    }

    /**
     * IK with fixed keys three times: responder and initiator with cold caches, then both warm (ss from the cache),
     * then the responder warm and a fresh initiator object. Every run must give the same messages, handshake hash
     * and transport keys, so the cache changes nothing on the wire.
     */
    @Test
    void shouldProduceIdenticalMessagesAndKeysWhetherSsIsCachedOrComputed() throws NoiseException {
        final Random seeded = new Random(2026);
        final byte[] initPriv = bytes(seeded);
        final byte[] respPriv = bytes(seeded);
        final byte[] initEph = bytes(seeded);
        final byte[] respEph = bytes(seeded);
        final X25519KeyPair initiator = X25519KeyPair.fromPrivate(initPriv);
        final X25519KeyPair responder = X25519KeyPair.fromPrivate(respPriv);
        final byte[] cold = transcript(initiator, responder, initEph, respEph);
        final byte[] warm = transcript(initiator, responder, initEph, respEph);
        final byte[] mixed = transcript(X25519KeyPair.fromPrivate(initPriv), responder, initEph, respEph);
        assertArrayEquals(cold, warm);
        assertArrayEquals(cold, mixed);
        assertEquals(1, responder.staticDhStats().misses());
        assertEquals(2, responder.staticDhStats().hits());
        assertEquals(1, initiator.staticDhStats().hits());
    }

    /** @return message 1, message 2, the handshake hash and a transport ciphertext each way, concatenated */
    private static byte[] transcript(final X25519KeyPair initiator, final X25519KeyPair responder,
                                     final byte[] initEph, final byte[] respEph) throws NoiseException {
        final HandshakeState i = new HandshakeState(HandshakePattern.IK, true, NoiseCipher.CHACHA20_POLY1305,
                NoiseHash.BLAKE2S, PROLOGUE, initiator, responder.publicKey(), null, null);
        final HandshakeState r = new HandshakeState(HandshakePattern.IK, false, NoiseCipher.CHACHA20_POLY1305,
                NoiseHash.BLAKE2S, PROLOGUE, responder, null, null, null);
        i.fixEphemeral(X25519KeyPair.fromPrivate(initEph));
        r.fixEphemeral(X25519KeyPair.fromPrivate(respEph));
        final byte[] m1 = i.writeMessage(new byte[] {1});
        r.readMessage(m1);
        final byte[] m2 = r.writeMessage(new byte[] {2});
        i.readMessage(m2);
        assertArrayEquals(i.handshakeHash(), r.handshakeHash());
        final CipherState[] ik = i.split();
        final CipherState[] rk = r.split();
        final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        final byte[] up = ik[0].encryptWithAd(new byte[0], hello);
        final byte[] down = rk[1].encryptWithAd(new byte[0], hello);
        assertArrayEquals(hello, rk[0].decryptWithAd(new byte[0], up));
        assertArrayEquals(hello, ik[1].decryptWithAd(new byte[0], down));
        return concat(m1, m2, r.handshakeHash(), up, down);
    }

    private static byte[] concat(final byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    private static byte[] filled(final int value) {
        final byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] bytes(final Random seeded) {
        final byte[] b = new byte[32];
        seeded.nextBytes(b);
        return b;
    }
}
