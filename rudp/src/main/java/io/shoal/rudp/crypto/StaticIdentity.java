package io.shoal.rudp.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * An endpoint's long-term X25519 identity. Saved as a small text file readable only by its owner (mode 0600 on
 * POSIX file systems): a comment line with the public key, then the base64 private key, the same encoding WireGuard
 * uses. The public key is what peers pin or allow-list.
 */
public final class StaticIdentity {
    private static final String HEADER = "# shoal X25519 identity; public key ";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final X25519KeyPair keyPair;

    private StaticIdentity(final X25519KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** @return a new random identity */
    public static StaticIdentity generate(final SecureRandom random) {
        return new StaticIdentity(X25519KeyPair.generate(random));
    }

    /** @return the identity for an existing key pair */
    public static StaticIdentity of(final X25519KeyPair keyPair) {
        return new StaticIdentity(keyPair);
    }

    /**
     * Reads an identity file written by {@link #save}.
     *
     * @throws IOException when the file cannot be read or holds no valid 32-byte base64 key
     */
    public static StaticIdentity load(final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (final String line : lines) {
            final String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                final byte[] key = Base64.getDecoder().decode(t);
                return new StaticIdentity(X25519KeyPair.fromPrivate(key));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": not a base64 X25519 private key", e);
            }
        }
        throw new IOException(file + ": no private key line");
    }

    /**
     * Loads {@code file}, or creates it with a fresh identity when it does not exist.
     */
    public static StaticIdentity loadOrCreate(final Path file, final SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        final StaticIdentity created = generate(random);
        created.save(file);
        return created;
    }

    /**
     * Writes the identity with owner-only permissions. The file is written under a temporary name that already has
     * those permissions and then moved into place, so the key is never readable by others, even briefly.
     *
     * @throws FileAlreadyExistsException never overwrites an existing identity
     */
    public void save(final Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        final Path dir = file.toAbsolutePath().getParent();
        final Path tmp = posix(dir)
                ? Files.createTempFile(dir, ".identity", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".identity", ".tmp");
        try {
            final String text = HEADER + publicKey().toBase64() + "\n"
                    + Base64.getEncoder().encodeToString(keyPair.privateKeyCopy()) + "\n";
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return the public key, to give to peers */
    public PeerKey publicKey() {
        return keyPair.publicKey();
    }

    /** @return the key pair, for handshakes */
    public X25519KeyPair keyPair() {
        return keyPair;
    }

    private static boolean posix(final Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
