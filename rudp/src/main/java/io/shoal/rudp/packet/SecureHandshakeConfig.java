package io.shoal.rudp.packet;

import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseHash;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;

import java.util.EnumSet;
import java.util.Set;

/**
 * Settings shared by {@link SecureInitiator} and {@link SecureResponder}. Immutable; built with {@link #builder}.
 *
 * @param identity this endpoint's static key
 * @param policy which peer keys to accept, and which to expect (choosing IK over XX)
 * @param hash the Noise hash, the same on both ends
 * @param psk optional 32-byte pre-shared key (switches to XXpsk3 / IKpsk2), or null; the same on both ends
 * @param cipher the cipher this side proposes first when it initiates
 * @param cipherFallback whether, when a responder refuses {@code cipher} ({@link CipherRefusal}), this side may
 *                       propose another cipher the responder lists ({@link CipherSuite#AUTO}); false: an explicit
 *                       choice, and a refusal fails the handshake at once
 * @param acceptedCiphers the ciphers this side accepts when it responds (non-empty); an initiation proposing
 *                        another is refused ({@code SecureResponder.Result.DROPPED_CIPHER_REFUSED})
 * @param firstRetransmitNs initiator's first handshake retransmission delay; it doubles up to 8x
 * @param handshakeTimeoutNs give up (initiator) or forget a half-open handshake (responder) after this long
 * @param cookieLifetimeNs how long an initiator uses a received cookie for mac2
 * @param cookieThreshold half-open handshakes, or handshakes started within one second, at or above which the
 *                        responder demands cookies (see {@link SecureResponder}); 0 means always,
 *                        so the responder keeps no state at all for an address that has not proven itself
 * @param maxHalfOpen hard cap on half-open handshakes kept by the responder
 * @param protection packet protection settings for the established connection
 */
public record SecureHandshakeConfig(StaticIdentity identity, PeerKeyPolicy policy, NoiseHash hash, byte[] psk,
                                    NoiseCipher cipher, boolean cipherFallback, Set<NoiseCipher> acceptedCiphers,
                                    long firstRetransmitNs, long handshakeTimeoutNs, long cookieLifetimeNs,
                                    int cookieThreshold, int maxHalfOpen, PacketProtectionConfig protection) {
    /** Checks ranges. */
    public SecureHandshakeConfig {
        if (identity == null || policy == null || hash == null || protection == null || cipher == null) {
            throw new IllegalArgumentException("identity, policy, hash, cipher and protection are required");
        }
        if (acceptedCiphers == null || acceptedCiphers.isEmpty()) {
            throw new IllegalArgumentException("acceptedCiphers must name at least one cipher");
        }
        acceptedCiphers = Set.copyOf(acceptedCiphers);
        if (psk != null && psk.length != 32) {
            throw new IllegalArgumentException("psk must be 32 bytes");
        }
        if (firstRetransmitNs <= 0 || handshakeTimeoutNs <= firstRetransmitNs || cookieLifetimeNs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive and the handshake timeout the longest");
        }
        if (cookieThreshold < 0 || maxHalfOpen < 1) {
            throw new IllegalArgumentException("cookieThreshold must be >= 0 and maxHalfOpen >= 1");
        }
        psk = psk == null ? null : psk.clone();
    }

    @Override
    public byte[] psk() {
        return psk == null ? null : psk.clone();
    }

    /**
     * @return a builder with the defaults: BLAKE2s, no psk, {@link CipherSuite#AUTO} (its cipher proposed, a fallback
     *         allowed) and both ciphers accepted, 500 ms first retransmit, 10 s timeout
     */
    public static Builder builder(final StaticIdentity identity, final PeerKeyPolicy policy) {
        return new Builder(identity, policy);
    }

    /** Fluent builder; setters are named after the fields. */
    public static final class Builder {
        private final StaticIdentity identity;
        private final PeerKeyPolicy policy;
        private NoiseHash hash = NoiseHash.BLAKE2S;
        private byte[] psk;
        private NoiseCipher cipher = CipherSuite.AUTO.resolve();
        private boolean cipherFallback = true;
        private Set<NoiseCipher> acceptedCiphers = EnumSet.allOf(NoiseCipher.class);
        private long firstRetransmitNs = 500_000_000L;
        private long handshakeTimeoutNs = 10_000_000_000L;
        private long cookieLifetimeNs = 120_000_000_000L;
        private int cookieThreshold = 256;
        private int maxHalfOpen = 4096;
        private PacketProtectionConfig protection = PacketProtectionConfig.defaults();

        private Builder(final StaticIdentity identity, final PeerKeyPolicy policy) {
            this.identity = identity;
            this.policy = policy;
        }

        /** @return this */
        public Builder hash(final NoiseHash v) {
            hash = v;
            return this;
        }

        /** @return this */
        public Builder psk(final byte[] v) {
            psk = v;
            return this;
        }

        /** Proposes {@code v} and nothing else (no fallback). @return this */
        public Builder cipher(final NoiseCipher v) {
            cipher = v;
            cipherFallback = false;
            return this;
        }

        /** Proposes what {@code v} resolves to; {@link CipherSuite#AUTO} may fall back. @return this */
        public Builder cipherSuite(final CipherSuite v) {
            cipher = v.resolve();
            cipherFallback = v == CipherSuite.AUTO;
            return this;
        }

        /** Whether a refused first choice may fall back (set after {@link #cipher} to emulate AUTO). @return this */
        public Builder cipherFallback(final boolean v) {
            cipherFallback = v;
            return this;
        }

        /** @return this */
        public Builder acceptedCiphers(final Set<NoiseCipher> v) {
            acceptedCiphers = v;
            return this;
        }

        /** @return this */
        public Builder firstRetransmitNs(final long v) {
            firstRetransmitNs = v;
            return this;
        }

        /** @return this */
        public Builder handshakeTimeoutNs(final long v) {
            handshakeTimeoutNs = v;
            return this;
        }

        /** @return this */
        public Builder cookieLifetimeNs(final long v) {
            cookieLifetimeNs = v;
            return this;
        }

        /** @return this */
        public Builder cookieThreshold(final int v) {
            cookieThreshold = v;
            return this;
        }

        /** @return this */
        public Builder maxHalfOpen(final int v) {
            maxHalfOpen = v;
            return this;
        }

        /** @return this */
        public Builder protection(final PacketProtectionConfig v) {
            protection = v;
            return this;
        }

        /** @return the checked configuration */
        public SecureHandshakeConfig build() {
            return new SecureHandshakeConfig(identity, policy, hash, psk, cipher, cipherFallback, acceptedCiphers,
                    firstRetransmitNs, handshakeTimeoutNs, cookieLifetimeNs, cookieThreshold, maxHalfOpen, protection);
        }
    }
}
