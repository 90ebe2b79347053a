package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.storage.PieceVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Seeded content, torrents and node settings for the networked peer tests. */
final class NodeFixtures {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private NodeFixtures() {
    }

    /** A folder {@code parent/name} of several seeded random files (one nested, one empty), {@code totalBytes} in all. */
    static Path folder(Path parent, String name, int totalBytes, long seed) throws IOException {
        Path dir = parent.resolve(name);
        Random random = new Random(seed);
        int[] sizes = {totalBytes / 2 + 12_345, totalBytes / 3, 0, totalBytes - totalBytes / 2 - 12_345 - totalBytes / 3};
        String[] names = {"a.bin", "sub/b.bin", "empty.txt", "sub/deeper/c.bin"};
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[sizes[i]];
            random.nextBytes(data);
            Path file = dir.resolve(names[i]);
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        }
        return dir;
    }

    /** One seeded random file {@code parent/name}. */
    static Path file(Path parent, String name, long bytes, long seed) throws IOException {
        Path file = parent.resolve(name);
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return file;
    }

    static Metainfo torrent(Path source, int pieceLength, String... trackers) throws Exception {
        TorrentBuilder b = TorrentBuilder.of(source).pieceLength(pieceLength);
        for (String t : trackers) {
            b.tracker(t);
        }
        try (PieceVerifier v = new PieceVerifier(2)) {
            return b.build(v, p -> { });
        }
    }

    static PeerNodeConfig.Builder config(PeerTransport... transports) {
        return PeerNodeConfig.builder().port(0).bind(LOOPBACK).announce(false)
            .transports(EnumSet.copyOf(List.of(transports)));
    }

    static InetSocketAddress at(PeerNode node) {
        return new InetSocketAddress(LOOPBACK, node.port());
    }

    /** Waits for {@code condition}, polling every 20 ms, failing with {@code what} after {@code seconds}. */
    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Every regular file under {@code expected} exists under {@code actual} with the same bytes. */
    static void assertSameTree(Path expected, Path actual) throws IOException {
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path other = actual.resolve(expected.relativize(f).toString());
                assertEquals(Files.size(f), Files.size(other), "size of " + other);
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), "content of " + other);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
