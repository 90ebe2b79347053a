package io.shoal.rudp.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.SecureRandom;

/**
 * An X25519 key pair (RFC 7748). The private scalar is kept as given (X25519 clamps it on use), the public key is
 * derived from it. {@link #dh} refuses an all-zero shared secret, which only a low-order public key produces.
 *
 * <p>Both the public key (a fixed-base multiplication) and Diffie-Hellman (variable base) run on
 * {@link X25519Backend#active()}: libsodium when it loads (about 38 and 64 us), else Java (about 55 and 113 us;
 * {@code X25519Bench} in shoal-bench). Both backends refuse the same low-order keys the same way.
 */
public final class X25519KeyPair {
    /** Key length in bytes, public and private. */
    public static final int KEY_BYTES = 32;

    private final byte[] privateKey;
    private final PeerKey publicKey;
    /**
     * Static-static results by peer key: the same for every handshake between two identities, so a server that
     * sees the same peers again (IK's {@code ss}) saves one of its X25519 operations (60-110 us each). Made on
     * first use: ephemeral key pairs, one per handshake, never need one.
     */
    private volatile StaticDhCache staticShared;

    private X25519KeyPair(final byte[] privateKey) {
        this.privateKey = privateKey;
        final byte[] pub = new byte[KEY_BYTES];
        X25519Backend.active().scalarMultBase(privateKey, 0, pub, 0);
        this.publicKey = PeerKey.of(pub);
    }

    private X25519KeyPair(final byte[] privateKey, final PeerKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * @return the pair of {@code privateKey} (kept, not copied) and {@code publicKey}, which the caller computed as
     * X25519(privateKey, 9) ({@link EphemeralKeyPool}, in batches)
     */
    static X25519KeyPair ofComputed(final byte[] privateKey, final byte[] publicKey) {
        return new X25519KeyPair(privateKey, PeerKey.of(publicKey));
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
        if (!X25519Backend.active().scalarMult(privateKey, 0, peerPublic, 0, shared, 0)) {
            throw new NoiseException("DH produced the all-zero value");
        }
        return shared;
    }

    /**
     * Like {@link #dh} for a peer's static key, remembered per peer in a {@link StaticDhCache} of
     * {@link StaticDhCache#DEFAULT_ENTRIES}; returns a fresh copy the caller owns. A low-order key is refused on
     * every call (nothing is cached for it).
     */
    public byte[] staticDh(final byte[] peerStatic) throws NoiseException {
        if (peerStatic.length != KEY_BYTES) {
            throw new NoiseException("public key must be 32 bytes");
        }
        final PeerKey peer = PeerKey.of(peerStatic);
        final StaticDhCache cache = staticCache();
        final byte[] known = cache.get(peer);
        if (known != null) {
            return known;
        }
        final byte[] shared = dh(peerStatic);
        cache.put(peer, shared);
        return shared;
    }

    /** @return the static-static cache's hit, miss and eviction counters, e.g. for a server's statistics */
    public StaticDhCache.Stats staticDhStats() {
        return staticCache().stats();
    }

    private StaticDhCache staticCache() {
        StaticDhCache c = staticShared;
        if (c == null) {
            synchronized (this) {
                c = staticShared;
                if (c == null) {
                    c = new StaticDhCache(StaticDhCache.DEFAULT_ENTRIES);
                    staticShared = c;
                }
            }
        }
        return c;
    }
}
