package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real nodes on loopback: an address that was down is dialled again, and per-torrent limits pace the transfer. */
class RedialAndRateLimitTest {
    private static final int BYTES = 3 << 20;
    private static final long LIMIT = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldRedialAddressWhenPeerComesUpAfterFailedDial() throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "album", 1 << 20, 21);
        Metainfo meta = NodeFixtures.torrent(source, 64 << 10);
        int port;
        try (PeerNode probe = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP).build())) {
            port = probe.port(); // free on TCP and UDP a moment ago; nobody listens once closed
        }
        InetSocketAddress seederAddress = new InetSocketAddress(NodeFixtures.LOOPBACK, port);
        try (PeerNode leecher = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP)
            .rudpConnectTimeoutMs(200).redialInitialMs(200).build())) {
            TorrentHandle down = leecher.add(meta, tmp.resolve("down"), false);
            down.addPeer(seederAddress);
            NodeFixtures.await("the first dial to fail", 20,
                () -> ((Torrent) down).connections() != null && dueLater((Torrent) down, seederAddress));
            try (PeerNode seeder = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP)
                .port(port).build())) {
                seeder.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
                down.completion().get(30, TimeUnit.SECONDS);
            }
            NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("album"));
        }
    }

    private static boolean dueLater(Torrent torrent, InetSocketAddress address) {
        return torrent.loopCall(() -> {
            long due = torrent.connections().candidates().dueNs(address);
            return due != Long.MAX_VALUE && due > System.nanoTime() - 1_000_000_000L;
        });
    }

    @Test
    void shouldPaceDownloadWhenTorrentDownloadLimitSet() throws Exception {
        long elapsedNs = limitedTransfer(31, false);
        // 1 MiB/s with a one-second bucket: at least about 2 s for 3 MiB (unlimited, loopback takes a fraction).
        assertTrue(elapsedNs >= TimeUnit.MILLISECONDS.toNanos(1600), "took " + elapsedNs / 1_000_000 + " ms");
    }

    @Test
    void shouldPaceUploadWhenTorrentUploadLimitSet() throws Exception {
        long elapsedNs = limitedTransfer(32, true);
        // 1 MiB/s with a quarter-second bucket: at least about 2.7 s for 3 MiB.
        assertTrue(elapsedNs >= TimeUnit.MILLISECONDS.toNanos(2200), "took " + elapsedNs / 1_000_000 + " ms");
    }

    private long limitedTransfer(long seed, boolean limitUpload) throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "album", BYTES, seed);
        Metainfo meta = NodeFixtures.torrent(source, 64 << 10);
        try (PeerNode seeder = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build());
             PeerNode leecher = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
            TorrentHandle up = seeder.add(meta, tmp.resolve("seed"), true);
            up.completion().get(30, TimeUnit.SECONDS);
            TorrentHandle down = leecher.add(meta, tmp.resolve("down"), false);
            if (limitUpload) {
                up.setUploadLimit(LIMIT);
            } else {
                down.setDownloadLimit(LIMIT);
            }
            long start = System.nanoTime();
            down.addPeer(NodeFixtures.at(seeder));
            down.completion().get(60, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("album"));
            return elapsed;
        }
    }
}
