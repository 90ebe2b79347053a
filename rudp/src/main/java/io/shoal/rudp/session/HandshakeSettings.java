package io.shoal.rudp.session;

import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseHash;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.packet.PacketProtectionConfig;
import io.shoal.rudp.packet.SecureHandshakeConfig;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secure-handshake part of a {@link RudpConfig}: this endpoint's static identity, the peer-key policy, the
 * optional psk, the Noise hash, the cipher proposed and those accepted, the handshake timeout, the cookie threshold
 * and the half-open cap, and their conversion to the {@link SecureHandshakeConfig} a connection's handshake runs on.
 *
 * <p>{@link RudpConfig.Builder} fills one through its public setters, which check every value; {@link #frozen} makes
 * the copy a built config keeps and never changes, and {@link #copy} the one {@link RudpConfig#toBuilder} starts
 * from. Not thread-safe while a builder fills it.
 */
final class HandshakeSettings {
    /** Null until {@link #frozen}, which makes a fresh one. */
    StaticIdentity identity;
    /** Null until {@link #frozen}, which makes trust on first use. */
    PeerKeyPolicy policy;
    /** 32 bytes or null; the builder stores a copy and a frozen config hands out only copies. */
    byte[] psk;
    NoiseHash hash = NoiseHash.BLAKE2S;
    CipherSuite cipherSuite = CipherSuite.AUTO;
    /** Non-empty. */
    Set<NoiseCipher> acceptedCiphers = EnumSet.allOf(NoiseCipher.class);
    long handshakeTimeoutNs = 10_000_000_000L;
    int cookieThreshold = 256;
    int maxHalfOpen = 4096;

    /** A copy a new builder may change; it shares the (never mutated) psk array and cipher set. */
    HandshakeSettings copy() {
        final HandshakeSettings c = new HandshakeSettings();
        c.identity = identity;
        c.policy = policy;
        c.psk = psk;
        c.hash = hash;
        c.cipherSuite = cipherSuite;
        c.acceptedCiphers = acceptedCiphers;
        c.handshakeTimeoutNs = handshakeTimeoutNs;
        c.cookieThreshold = cookieThreshold;
        c.maxHalfOpen = maxHalfOpen;
        return c;
    }

    /**
     * The copy a built config keeps: a missing identity is generated and a missing policy is a fresh trust-on-first-use
     * one (so each build without them gets its own), the psk is copied and the cipher set made immutable.
     */
    HandshakeSettings frozen() {
        final HandshakeSettings f = copy();
        f.identity = identity != null ? identity : StaticIdentity.generate(new SecureRandom());
        f.policy = policy != null ? policy : PeerKeyPolicy.learnOnFirstUse(new ConcurrentHashMap<>());
        f.psk = psk == null ? null : psk.clone();
        f.acceptedCiphers = Set.copyOf(acceptedCiphers);
        return f;
    }

    /** The handshake settings of a frozen copy, with {@code protection} for the connections it establishes. */
    SecureHandshakeConfig toConfig(final PacketProtectionConfig protection) {
        return SecureHandshakeConfig.builder(identity, policy).hash(hash).psk(psk).cipherSuite(cipherSuite)
                .acceptedCiphers(acceptedCiphers).handshakeTimeoutNs(handshakeTimeoutNs)
                .cookieThreshold(cookieThreshold).maxHalfOpen(maxHalfOpen).protection(protection).build();
    }
}
