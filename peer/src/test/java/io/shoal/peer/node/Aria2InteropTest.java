package io.shoal.peer.node;

import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.rudp.test.ExternalTool;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard wire protocol against a real client, {@code aria2c} (Debian {@code aria2}, installed when run as root;
 * otherwise skipped with a message), meeting through our tracker: it downloads from a shoal seeder over TCP, and a
 * shoal downloader fetches from it (the rudp attempt times out and falls back to TCP).
 */
class Aria2InteropTest {
    private static final int BYTES = 3 << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldServeAria2cWhenShoalSeeds() throws Exception {
        String aria2c = ExternalTool.require("aria2c", "aria2");
        try (TrackerServer tracker = startTracker()) {
            Path source = NodeFixtures.folder(tmp.resolve("seed"), "shared", BYTES, 41);
            Metainfo meta = NodeFixtures.torrent(source, 64 << 10, announceUrl(tracker));
            Path torrentFile = tmp.resolve("shared.torrent");
            MetainfoWriter.write(meta, torrentFile);
            try (PeerNode seeder = PeerNode.start(PeerNodeConfig.builder().port(0).bind(NodeFixtures.LOOPBACK)
                .announceIntervalOverrideSec(1).build())) {
                seeder.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
                List<String> cmd = new ArrayList<>(aria2Base(aria2c));
                cmd.addAll(List.of("--seed-time=0", "--dir=" + tmp.resolve("aria"), torrentFile.toString()));
                ExternalTool.Result r = ExternalTool.run(cmd, 120);
                assertEquals(0, r.exit(), "aria2c failed:\n" + r.output());
                NodeFixtures.assertSameTree(source, tmp.resolve("aria").resolve("shared"));
                NodeFixtures.await("the upload to be counted", 10,
                    () -> seeder.torrents().get(0).status().uploadedBytes() >= meta.totalLength());
            }
        }
    }

    @Test
    void shouldDownloadFromAria2cWhenItSeeds() throws Exception {
        String aria2c = ExternalTool.require("aria2c", "aria2");
        try (TrackerServer tracker = startTracker()) {
            Path source = NodeFixtures.folder(tmp.resolve("seed"), "theirs", BYTES, 42);
            Metainfo meta = NodeFixtures.torrent(source, 64 << 10, announceUrl(tracker));
            Path torrentFile = tmp.resolve("theirs.torrent");
            MetainfoWriter.write(meta, torrentFile);
            List<String> cmd = new ArrayList<>(aria2Base(aria2c));
            cmd.addAll(List.of("--seed-ratio=0.0", "--bt-seed-unverified", "--dir=" + tmp.resolve("seed"),
                torrentFile.toString()));
            try (ExternalTool aria = ExternalTool.start(cmd, tmp.resolve("aria2c.log"));
                 PeerNode leecher = PeerNode.start(PeerNodeConfig.builder().port(0).bind(NodeFixtures.LOOPBACK)
                     .announceIntervalOverrideSec(1).build())) {
                TorrentHandle down = leecher.add(meta, tmp.resolve("down"), false);
                try {
                    down.completion().get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("no download from aria2c; status " + down.status() + "\naria2c log:\n"
                        + aria.logText(), e);
                }
                assertTrue(aria.isAlive(), "aria2c still seeding");
                // aria2c is the only source (it may already have dropped us: two seeds have nothing to trade).
                assertTrue(down.status().downloadedBytes() >= meta.totalLength(), "fetched " + down.status());
                assertEquals(0, down.status().peersRudp(), "aria2c speaks TCP only");
                NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("theirs"));
            }
        }
    }

    @Test
    void shouldDownloadMagnetFromAria2cOverTheMetadataConnection() throws Exception {
        String aria2c = ExternalTool.require("aria2c", "aria2");
        try (TrackerServer tracker = startTracker()) {
            Path source = NodeFixtures.folder(tmp.resolve("seed"), "magnet", BYTES, 43);
            Metainfo meta = NodeFixtures.torrent(source, 64 << 10, announceUrl(tracker));
            Path torrentFile = tmp.resolve("magnet.torrent");
            MetainfoWriter.write(meta, torrentFile);
            int port = ExternalTool.freeTcpAndUdpPort();
            List<String> cmd = new ArrayList<>(aria2Base(aria2c, port));
            cmd.addAll(List.of("--seed-ratio=0.0", "--bt-seed-unverified", "--dir=" + tmp.resolve("seed"),
                torrentFile.toString()));
            InetSocketAddress ariaAddress = new InetSocketAddress(NodeFixtures.LOOPBACK, port);
            try (ExternalTool aria = ExternalTool.start(cmd, tmp.resolve("aria2c.log"));
                 PeerNode leecher = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
                NodeFixtures.await("aria2c listening", 30, () -> accepts(ariaAddress));
                MagnetLink magnet = MagnetLink.parse("magnet:?xt=urn:btih:" + meta.infoHash().hex());
                TorrentHandle down = leecher.addMagnet(magnet, List.of(ariaAddress), tmp.resolve("down"), false,
                    Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
                try {
                    down.completion().get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("no download from aria2c; status " + down.status() + "\naria2c log:\n"
                        + aria.logText(), e);
                }
                // BEP 9 metadata, then the data on the same connection: aria2c took our fast-extension opening
                // and the have-none sent after its handshake, and the replayed bitfield / have-all drove requests.
                NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("magnet"));
                assertEquals(0, leecher.protocolErrors());
            }
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address, 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static TrackerServer startTracker() throws InterruptedException {
        return TrackerServer.start(TrackerConfig.defaults(NodeFixtures.LOOPBACK, 0).withInterval(1));
    }

    private static String announceUrl(TrackerServer tracker) {
        return "http://127.0.0.1:" + tracker.httpAddress().getPort() + "/announce";
    }

    private static List<String> aria2Base(String aria2c) throws java.io.IOException {
        return aria2Base(aria2c, ExternalTool.freeTcpAndUdpPort());
    }

    private static List<String> aria2Base(String aria2c, int listenPort) {
        return List.of(aria2c, "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
            "--enable-peer-exchange=false", "--listen-port=" + listenPort,
            "--bt-tracker-interval=1", "--summary-interval=0", "--console-log-level=warn", "--file-allocation=none",
            "--check-integrity=true", "--bt-stop-timeout=0", "--allow-overwrite=true");
    }
}
