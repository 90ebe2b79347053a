package io.shoal.examples;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The few bytes in front of a file on the wire ({@link FileSender} to {@link FileReceiver}): the name's length as
 * an unsigned 16-bit big-endian integer, the name in UTF-8, then the file's length as a signed 64-bit big-endian
 * integer; the file's bytes follow. Whatever the peer sends is checked before it is used: the name must be a plain
 * file name (no directory part, no {@code ..}), at most {@link #MAX_NAME_BYTES} bytes, and the length not negative.
 *
 * @param name a plain file name
 * @param lengthBytes the file's size in bytes
 */
public record FileHeader(String name, long lengthBytes) {
    /** Longest name accepted, in UTF-8 bytes (what common file systems allow). */
    public static final int MAX_NAME_BYTES = 255;

    /** @throws IllegalArgumentException when the name is not a plain file name or the length is negative */
    public FileHeader {
        if (!isPlainFileName(name)) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("negative length: " + lengthBytes);
        }
    }

    /** Writes the header. */
    public void writeTo(final DataOutputStream out) throws IOException {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.writeShort(n.length);
        out.write(n);
        out.writeLong(lengthBytes);
    }

    /** Reads and checks a header from the network. */
    public static FileHeader readFrom(final DataInputStream in) throws IOException {
        final int nameBytes = in.readUnsignedShort();
        if (nameBytes == 0 || nameBytes > MAX_NAME_BYTES) {
            throw new IOException("file name length out of range: " + nameBytes);
        }
        final byte[] n = in.readNBytes(nameBytes);
        if (n.length != nameBytes) {
            throw new IOException("connection ended inside the header");
        }
        try {
            return new FileHeader(new String(n, StandardCharsets.UTF_8), in.readLong());
        } catch (IllegalArgumentException e) {
            throw new IOException("refused header: " + e.getMessage(), e);
        }
    }

    /**
     * A name that can only mean a file directly inside the receiving folder: not empty, not {@code .} or
     * {@code ..}, no separator of any platform, no NUL or other control character, within {@link #MAX_NAME_BYTES}.
     */
    public static boolean isPlainFileName(final String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
