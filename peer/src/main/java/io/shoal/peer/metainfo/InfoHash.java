package io.shoal.peer.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** A BitTorrent v1 info hash: the 20-byte SHA-1 of the bencoded {@code info} dictionary. Immutable value. */
public final class InfoHash {
    /** Bytes in an info hash. */
    public static final int BYTES = 20;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of 20 bytes. */
    public static InfoHash of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("an info hash has 20 bytes, not " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** SHA-1 of {@code data[offset, offset + length)}. */
    public static InfoHash sha1Of(byte[] data, int offset, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, offset, length);
            return new InfoHash(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /**
     * Parses 40 hex digits or 32 base32 characters (either case), the two forms in {@code urn:btih:} magnet links.
     *
     * @return the hash, or {@code null} when {@code text} is neither form
     */
    public static InfoHash parse(String text) {
        if (text.length() == 40) {
            try {
                return new InfoHash(HexFormat.of().parseHex(text));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return text.length() == 32 ? fromBase32(text.toUpperCase(Locale.ROOT)) : null;
    }

    /** A copy of the 20 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 40 lower-case hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** 32 upper-case RFC 4648 base32 characters, no padding (160 bits divide evenly into 5-bit groups). */
    public String base32() {
        StringBuilder b = new StringBuilder(32);
        int buffer = 0;
        int bits = 0;
        for (byte x : bytes) {
            buffer = (buffer << 8) | (x & 0xFF);
            bits += 8;
            while (bits >= 5) {
                b.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return b.toString();
    }

    private static InfoHash fromBase32(String text) {
        byte[] out = new byte[BYTES];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return new InfoHash(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
