package io.shoal.examples;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, as both file examples print it (lower-case hex, like {@code sha256sum}). */
public final class FileDigest {
    /** Bytes in a SHA-256 digest. */
    public static final int BYTES = 32;

    private FileDigest() {
    }

    /** @return a fresh SHA-256 digest (every JDK has it) */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /** @return the digest as lower-case hex */
    public static String hex(final byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
