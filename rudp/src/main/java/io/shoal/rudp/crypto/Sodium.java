package io.shoal.rudp.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libsodium (the system's {@code libsodium.so}, e.g. Debian's {@code libsodium23}) bound through JNA direct
 * mapping: each {@code native} method here is the C function of the same name. Loaded once, when this class is
 * first used; if anything goes wrong (no JNA, no library, a missing symbol, {@code sodium_init()} failing, or
 * {@code -Dshoal.crypto.native=false}) nothing is thrown: {@link #isAvailable()} is false and
 * {@link #unavailableReason()} says why.
 *
 * <p>Contract for callers: call a binding only when {@link #isAvailable()} is true (an unbound method throws
 * {@link UnsatisfiedLinkError}). Arguments are passed as libsodium documents them; {@code byte[]} arguments are
 * copied to and from native memory by JNA on each call (for 32-byte keys no slower, measured, than passing native
 * addresses), so calls are thread-safe exactly when the C function is, which for every binding here (pure functions
 * of their arguments after {@code sodium_init}) they are. Bind more functions by adding
 * {@code public static native} methods: {@link Native#register} binds all of them at once.
 */
public final class Sodium {
    /** System property that turns native crypto off when set to {@code false} (default: on when it loads). */
    public static final String NATIVE_PROPERTY = "shoal.crypto.native";

    private static final String REASON;
    private static final String VERSION;

    static {
        String reason = NativeCryptoSwitch.turnedOffReason();
        String version = null;
        if (reason == null) {
            try {
                // "sodium": JNA also finds the versioned libsodium.so.23 when the -dev symlink is absent.
                Native.register(Sodium.class, NativeLibrary.getInstance("sodium"));
                // 0: initialised now, 1: already initialised (by another user in this process), -1: failed.
                final int init = sodium_init();
                if (init < 0) {
                    reason = "sodium_init() returned " + init;
                } else {
                    version = sodium_version_string();
                }
            } catch (LinkageError | RuntimeException e) {
                // UnsatisfiedLinkError (no library or symbol), NoClassDefFoundError (no JNA), IllegalStateException.
                reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        REASON = reason;
        VERSION = version;
    }

    private Sodium() {
    }

    /** @return true when libsodium loaded, every binding here resolved and {@code sodium_init()} succeeded */
    public static boolean isAvailable() {
        return REASON == null;
    }

    /** @return why libsodium is not used (one line), or null when it is available */
    public static String unavailableReason() {
        return REASON;
    }

    /** @return libsodium's version string, e.g. {@code 1.0.18}, or null when unavailable */
    public static String version() {
        return VERSION;
    }

    /** {@code int sodium_init(void)}: 0 done now, 1 done before, -1 failed. Called once by this class. */
    static native int sodium_init();

    /** {@code const char *sodium_version_string(void)}. */
    static native String sodium_version_string();

    /**
     * {@code int crypto_scalarmult(q, n, p)}: X25519(n, p) into {@code q} (32 bytes each); clamps a copy of n.
     * Returns -1 when the result is all zeros or p is one of the small-order points libsodium lists, in which case
     * {@code q} may be left unwritten (libsodium 1.0.18 returns before computing).
     */
    public static native int crypto_scalarmult(byte[] q, byte[] n, byte[] p);

    /** {@code int crypto_scalarmult_base(q, n)}: X25519(n, 9) into {@code q}; a Montgomery ladder on x86-64. */
    public static native int crypto_scalarmult_base(byte[] q, byte[] n);

    /**
     * {@code int crypto_scalarmult_ed25519_base(q, n)}: the clamped n times the Ed25519 base point, as a compressed
     * Edwards point (little-endian y, sign of x in the top bit), from a precomputed table. Returns -1 for n = 0.
     */
    public static native int crypto_scalarmult_ed25519_base(byte[] q, byte[] n);
}
