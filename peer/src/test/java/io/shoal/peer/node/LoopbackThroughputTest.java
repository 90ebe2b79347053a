package io.shoal.peer.node;

import io.netty.util.ResourceLeakDetector;
import io.shoal.peer.metainfo.Metainfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One seeder to one downloader on loopback, over rudp and over TCP, median of 3 runs; prints MB/s. Off by default:
 * run with {@code -Dshoal.perf=true} (size with {@code -Dshoal.perf.mib=256}).
 */
@Tag("perf")
class LoopbackThroughputTest {
    @TempDir
    Path tmp;

    @Test
    void shouldReportLoopbackThroughputWhenAskedTo() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("shoal.perf"), "throughput run off; -Dshoal.perf=true turns it on");
        long bytes = Long.getLong("shoal.perf.mib", 256) << 20;
        int runs = Integer.getInteger("shoal.perf.runs", 3);
        // The build runs tests with paranoid leak tracking (a stack trace per buffer access): not what we measure.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure(bytes, runs);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void measure(long bytes, int runs) throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        Path file = NodeFixtures.file(seedDir, "big.bin", bytes, 7);
        Metainfo meta = NodeFixtures.torrent(file, 1 << 20);
        for (PeerTransport transport : PeerTransport.values()) {
            if (!System.getProperty("shoal.perf.transports", "TCP,RUDP").contains(transport.name())) {
                continue;
            }
            List<Double> mbps = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                mbps.add(once(meta, seedDir, transport, run));
            }
            Collections.sort(mbps);
            System.out.printf("node loopback %s, %d MiB: median %.1f MB/s, runs %s%n", transport, bytes >> 20,
                mbps.get(mbps.size() / 2), mbps);
        }
    }

    private double once(Metainfo meta, Path seedDir, PeerTransport transport, int run) throws Exception {
        Path down = tmp.resolve("down-" + transport + run);
        try (PeerNode seeder = PeerNode.start(NodeFixtures.config(transport).build());
             PeerNode leecher = PeerNode.start(NodeFixtures.config(transport).build())) {
            seeder.add(meta, seedDir, true).completion().get(120, TimeUnit.SECONDS);
            TorrentHandle handle = leecher.add(meta, down, false);
            NodeFixtures.await("check done", 30, () -> handle.status().state() != TorrentState.CHECKING);
            long start = System.nanoTime();
            handle.addPeer(NodeFixtures.at(seeder));
            handle.completion().get(600, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(meta.totalLength(), handle.status().verifiedBytes());
            return meta.totalLength() / 1e6 / seconds;
        } finally {
            deleteTree(down);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Collections.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
