package io.shoal.rudp.crypto;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Chooses {@link X25519Backend#active()} once per JVM (class initialisation is the lock): libsodium when
 * {@link Sodium} loads and its results match RFC 7748 section 5.2's first vector and section 6.1's public key, which
 * exercise both the variable-base and the fixed-base path. A library that loads but computes
 * something else is not trusted, whatever the reason.
 */
final class X25519BackendChoice {
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(X25519BackendChoice.class);
    private static final HexFormat HEX = HexFormat.of();

    static final String NATIVE_REASON;
    static final X25519Backend ACTIVE;

    static {
        final String reason = Sodium.isAvailable()
                ? knownAnswerFailure(SodiumX25519Backend.INSTANCE) : "libsodium: " + Sodium.unavailableReason();
        NATIVE_REASON = reason;
        ACTIVE = reason == null ? SodiumX25519Backend.INSTANCE : JavaX25519Backend.INSTANCE;
        LOG.debug("X25519 backend: {}{}", ACTIVE.name(), reason == null ? "" : " (" + reason + ")");
    }

    private X25519BackendChoice() {
    }

    /** @return null when {@code backend} gives RFC 7748's answers, else which one it got wrong */
    static String knownAnswerFailure(final X25519Backend backend) {
        final byte[] out = new byte[X25519Backend.BYTES];
        final boolean nonZero = backend.scalarMult(
                HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), 0,
                HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), 0, out, 0);
        if (!nonZero || !Arrays.equals(out,
                HEX.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"))) {
            return backend.name() + " failed the RFC 7748 section 5.2 scalar multiplication vector";
        }
        final byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        backend.scalarMultBase(alice, 0, out, 0);
        if (!Arrays.equals(out, HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))) {
            return backend.name() + " failed the RFC 7748 section 6.1 public key";
        }
        return null;
    }
}
