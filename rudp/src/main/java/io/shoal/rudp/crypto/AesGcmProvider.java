package io.shoal.rudp.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The JCA provider {@link AesGcmAead} runs on: the Amazon Corretto Crypto Provider (AWS-LC's AES-GCM, native) where
 * its library loads and gets a known answer right, else the JDK's. Chosen once, when this class is first used; the
 * provider is only asked for ciphers, never installed, so the application's own JCA choices are untouched.
 *
 * <p>Why: per 1,380-byte packet the JDK's {@code Cipher.init} and {@code doFinal} cost about 1,200 ns to seal and
 * open, ACCP's about 980 and 1,080 (one thread, this machine); a handshake key's one-message use costs 3.1 us on the
 * JDK, which expands both AES key schedules in Java, and 1.3 on ACCP. Direct buffers were slower on ACCP (1,470 ns),
 * so byte arrays stay. {@code -Dshoal.crypto.native=false} ({@link Sodium#NATIVE_PROPERTY}) turns it off with
 * libsodium; so does a platform without ACCP's library (its jar here carries linux-x86_64 only).
 */
final class AesGcmProvider {
    static final String TRANSFORMATION = "AES/GCM/NoPadding";

    /** GCM specification test case 14: AES-256, zero key and IV, one zero block. */
    private static final byte[] KAT_CIPHERTEXT = HexFormat.of()
            .parseHex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");

    private static final Provider JDK = jdkProvider();
    private static final Provider NATIVE;
    private static final String NATIVE_UNAVAILABLE_REASON;

    static {
        Provider chosen = null;
        String reason = NativeCryptoSwitch.turnedOffReason();
        if (reason == null) {
            try {
                final AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
                final Throwable loading = accp.getLoadingError();
                reason = loading != null ? "ACCP did not load: " + loading : knownAnswerFailure(accp);
                if (reason == null) {
                    chosen = accp;
                }
            } catch (LinkageError | RuntimeException e) {
                // NoClassDefFoundError without the jar, UnsatisfiedLinkError without its library for this platform.
                reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        NATIVE = chosen;
        NATIVE_UNAVAILABLE_REASON = reason;
    }

    private AesGcmProvider() {
    }

    /** @return the provider AES-GCM uses: ACCP's when usable, else the JDK's */
    static Provider active() {
        return NATIVE != null ? NATIVE : JDK;
    }

    /** @return the JDK's AES-GCM provider (tests compare the two) */
    static Provider jdk() {
        return JDK;
    }

    /** @return ACCP's provider when it loaded and answered right, else null */
    static Provider nativeOrNull() {
        return NATIVE;
    }

    /** @return why ACCP is not used (one line), or null when it is */
    static String nativeUnavailableReason() {
        return NATIVE_UNAVAILABLE_REASON;
    }

    /** @return a short name for reports: {@code AWS-LC (ACCP 2.5.0)} or {@code JDK (SunJCE)} */
    static String name() {
        return NATIVE != null ? "AWS-LC (ACCP " + AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr() + ")"
                : "JDK (" + JDK.getName() + ")";
    }

    /** @return a new AES/GCM/NoPadding {@code Cipher} from {@code provider} */
    static Cipher newCipher(final Provider provider) {
        try {
            return Cipher.getInstance(TRANSFORMATION, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + TRANSFORMATION + " in " + provider.getName(), e);
        }
    }

    /** @return null when {@code provider} seals the known answer and refuses it with a changed tag, else why not */
    private static String knownAnswerFailure(final Provider provider) {
        try {
            final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
            final GCMParameterSpec iv = new GCMParameterSpec(128, new byte[12]);
            final Cipher c = Cipher.getInstance(TRANSFORMATION, provider);
            c.init(Cipher.ENCRYPT_MODE, key, iv);
            if (!Arrays.equals(c.doFinal(new byte[16]), KAT_CIPHERTEXT)) {
                return provider.getName() + " AES-GCM gave a wrong known answer";
            }
            final byte[] forged = KAT_CIPHERTEXT.clone();
            forged[forged.length - 1] ^= 1;
            c.init(Cipher.DECRYPT_MODE, key, iv);
            try {
                c.doFinal(forged);
                return provider.getName() + " AES-GCM accepted a forged tag";
            } catch (AEADBadTagException expected) {
                return null;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return provider.getName() + " AES-GCM failed its known answer: " + e;
        }
    }

    private static Provider jdkProvider() {
        final Provider sunJce = Security.getProvider("SunJCE");
        if (sunJce != null) {
            return sunJce;
        }
        try {
            return Cipher.getInstance(TRANSFORMATION).getProvider(); // a JDK without SunJCE: whatever it has
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime has AES/GCM: a JDK without it is broken, and says so on first use.
            throw new IllegalStateException("no " + TRANSFORMATION + " in this JDK", e);
        }
    }
}
