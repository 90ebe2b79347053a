package io.shoal.peer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Files for the demo: a seeded random source file, SHA-256 of a file, and cleanup. */
final class DemoFiles {
    private static final int BLOCK_BYTES = 1 << 20;

    private DemoFiles() {
    }

    /** Writes {@code sizeBytes} seeded random bytes to {@code path} and returns their SHA-256 in hex. */
    static String generate(Path path, long sizeBytes, long seed) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[BLOCK_BYTES];
        try (var out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = sizeBytes; left > 0; left -= BLOCK_BYTES) {
                int n = (int) Math.min(BLOCK_BYTES, left);
                random.nextBytes(block);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256 of the file's bytes, in hex. */
    static String sha256Hex(Path path) throws IOException {
        MessageDigest sha = sha256();
        byte[] block = new byte[BLOCK_BYTES];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(block)) > 0) {
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Deletes {@code dir} and everything under it; best effort. */
    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // nothing to clean
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
