package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One seeder and three downloaders find each other only through our real tracker (in-process, port 0). */
class SwarmOverTrackerTest {
    private static final int BYTES = 4 << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldCompleteEveryDownloaderWhenPeersComeFromTracker() throws Exception {
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(NodeFixtures.LOOPBACK, 0)
            .withInterval(1))) {
            InetSocketAddress http = tracker.httpAddress();
            String announce = "http://127.0.0.1:" + http.getPort() + "/announce";
            Path source = NodeFixtures.folder(tmp.resolve("seed"), "swarm", BYTES, 21);
            Metainfo meta = NodeFixtures.torrent(source, 64 << 10, announce);
            List<PeerNode> nodes = new ArrayList<>();
            try {
                PeerNode seeder = start(nodes);
                seeder.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
                List<TorrentHandle> downloads = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    downloads.add(start(nodes).add(meta, tmp.resolve("down" + i), false));
                }
                CompletableFuture.allOf(downloads.stream().map(TorrentHandle::completion)
                    .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    NodeFixtures.assertSameTree(source, tmp.resolve("down" + i).resolve("swarm"));
                    TransferStatus s = downloads.get(i).status();
                    assertEquals(TorrentState.SEEDING, s.state());
                    assertTrue(s.peersConnected() >= 1, "still connected to the swarm: " + s);
                }
            } finally {
                nodes.forEach(PeerNode::close);
            }
        }
    }

    private static PeerNode start(List<PeerNode> nodes) throws Exception {
        PeerNode node = PeerNode.start(PeerNodeConfig.builder().port(0).bind(NodeFixtures.LOOPBACK)
            .announceIntervalOverrideSec(1).build());
        nodes.add(node);
        return node;
    }
}
