package io.shoal.rudp.crypto;

/**
 * The one switch for native crypto, {@code -D}{@value Sodium#NATIVE_PROPERTY}{@code =false}: it turns off both
 * libsodium's X25519 ({@link Sodium}) and AWS-LC's AES-GCM ({@link AesGcmProvider}). Its own class so that reading it
 * loads neither library.
 */
final class NativeCryptoSwitch {
    private NativeCryptoSwitch() {
    }

    /** @return why native crypto is off, one line, or null when it may be used */
    static String turnedOffReason() {
        return "false".equalsIgnoreCase(System.getProperty(Sodium.NATIVE_PROPERTY, "true").trim())
                ? "turned off by -D" + Sodium.NATIVE_PROPERTY + "=false" : null;
    }
}
