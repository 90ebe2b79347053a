package io.shoal.rudp.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An X25519 key pair (RFC 7748). The private scalar is kept as given (X25519 clamps it on use), the public key is
 * derived from it. {@link #dh} refuses an all-zero shared secret, which only a low-order public key produces.
 *
 * <p>Two implementations, each where it is fastest: the public key (a fixed-base multiplication) comes from
 * BouncyCastle, whose precomputed Edwards tables make it about 55 us; Diffie-Hellman (variable base) runs on
 * {@link X25519Ladder}, about 1.3 times faster than BouncyCastle's ladder ({@code X25519Bench} in shoal-bench).
 */
public final class X25519KeyPair {
    /** Key length in bytes, public and private. */
    public static final int KEY_BYTES = 32;

    /** Peers whose static-static secret is remembered, least recently used forgotten first. */
    private static final int STATIC_CACHE_ENTRIES = 1024;

    private final byte[] privateKey;
    private final PeerKey publicKey;
    /**
     * Static-static results by peer key: the same for every handshake between two identities, so a server that
     * sees the same peers again (IK's {@code ss}) saves one of its four X25519 operations (~110 us each), as
     * WireGuard precomputes it. Synchronized: one identity may serve several sockets on different threads.
     */
    private final Map<PeerKey, byte[]> staticShared = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<PeerKey, byte[]> eldest) {
            return size() > STATIC_CACHE_ENTRIES;
        }
    };

    private X25519KeyPair(final byte[] privateKey) {
        this.privateKey = privateKey;
        final byte[] pub = new byte[KEY_BYTES];
        X25519.scalarMultBase(privateKey, 0, pub, 0);
        this.publicKey = PeerKey.of(pub);
    }

    /** @return a fresh random key pair */
    public static X25519KeyPair generate(final SecureRandom random) {
        final byte[] k = new byte[KEY_BYTES];
        X25519.generatePrivateKey(random, k);
        return new X25519KeyPair(k);
    }

    /** @return the key pair for a 32-byte private key (copied) */
    public static X25519KeyPair fromPrivate(final byte[] privateKey) {
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, got " + privateKey.length);
        }
        return new X25519KeyPair(privateKey.clone());
    }

    /** @return the public key */
    public PeerKey publicKey() {
        return publicKey;
    }

    /** @return a copy of the private key, for saving an identity */
    byte[] privateKeyCopy() {
        return privateKey.clone();
    }

    /**
     * Diffie-Hellman with a peer's public key.
     *
     * @throws NoiseException when the result is all zeros (a low-order or malicious public key)
     */
    public byte[] dh(final byte[] peerPublic) throws NoiseException {
        if (peerPublic.length != KEY_BYTES) {
            throw new NoiseException("public key must be 32 bytes");
        }
        final byte[] shared = new byte[KEY_BYTES];
        if (!X25519Ladder.scalarMult(privateKey, 0, peerPublic, 0, shared, 0)) {
            throw new NoiseException("DH produced the all-zero value");
        }
        return shared;
    }

    /** Like {@link #dh} for a peer's static key, remembered per peer (see {@link #staticShared}); a fresh copy. */
    public byte[] staticDh(final byte[] peerStatic) throws NoiseException {
        if (peerStatic.length != KEY_BYTES) {
            throw new NoiseException("public key must be 32 bytes");
        }
        final PeerKey peer = PeerKey.of(peerStatic);
        synchronized (staticShared) {
            final byte[] known = staticShared.get(peer);
            if (known != null) {
                return known.clone();
            }
        }
        final byte[] shared = dh(peerStatic);
        synchronized (staticShared) {
            staticShared.put(peer, shared.clone());
        }
        return shared;
    }
}
