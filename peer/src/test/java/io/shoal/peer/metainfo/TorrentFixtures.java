package io.shoal.peer.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic files and folders for metainfo and storage tests. */
final class TorrentFixtures {
    private TorrentFixtures() {
    }

    /** Writes {@code length} seeded random bytes to {@code file}, creating folders. */
    static Path randomFile(Path file, int length, long seed) throws IOException {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    /** A folder with three files of awkward sizes, one empty, one nested. */
    static Path sampleFolder(Path parent) throws IOException {
        Path dir = parent.resolve("album");
        randomFile(dir.resolve("a.bin"), 100_000, 1);
        randomFile(dir.resolve("empty.txt"), 0, 2);
        randomFile(dir.resolve("sub").resolve("b.bin"), 33_333, 3);
        return dir;
    }
}
