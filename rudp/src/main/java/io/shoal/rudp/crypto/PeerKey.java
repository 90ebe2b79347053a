package io.shoal.rudp.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte X25519 public key as a value: equality by content, printed as base64 (like WireGuard) or hex.
 */
public final class PeerKey {
    private final byte[] bytes;

    private PeerKey(final byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return the key for 32 bytes (copied) */
    public static PeerKey of(final byte[] key) {
        if (key.length != X25519KeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("public key must be 32 bytes, got " + key.length);
        }
        return new PeerKey(key.clone());
    }

    /**
     * Parses base64 (44 characters) or hex (64 characters).
     *
     * @throws IllegalArgumentException when the text is neither or not 32 bytes long
     */
    public static PeerKey parse(final String text) {
        final String t = text.strip();
        final byte[] raw = t.length() == 64 ? HexFormat.of().parseHex(t) : Base64.getDecoder().decode(t);
        return of(raw);
    }

    /** @return a copy of the 32 key bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the key bytes without copying; callers must not modify them */
    byte[] rawBytes() {
        return bytes;
    }

    /** @return standard base64, 44 characters */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** @return lowercase hex, 64 characters */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PeerKey && Arrays.equals(bytes, ((PeerKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
