package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer serving a corrupt piece is banned while the file still completes; a restart fetches only what is missing. */
class BadPeerAndRestartTest {
    private static final int BYTES = 4 << 20;
    private static final int PIECE = 64 << 10;
    private static final int CORRUPT_PIECE = 5;

    @TempDir
    Path tmp;

    @Test
    void shouldBanPeerAndRefetchPieceWhenItServesCorruptData() throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "data", BYTES, 31);
        Metainfo meta = NodeFixtures.torrent(source, PIECE);
        // The liar listens on another loopback address: bans are per address, and the honest seeder must stay allowed.
        InetAddress liarAddress = InetAddress.getByName("127.0.0.3");
        PeerNodeConfig liarConfig = NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP).bind(liarAddress)
            .uploadTamper((piece, begin, block) -> {
                if (piece == CORRUPT_PIECE) {
                    block.setByte(block.readerIndex(), block.getByte(block.readerIndex()) ^ 0x5A);
                }
            }).build();
        try (PeerNode liar = PeerNode.start(liarConfig);
             PeerNode honest = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP).build());
             PeerNode leecher = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP).build())) {
            liar.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
            honest.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
            TorrentHandle down = leecher.add(meta, tmp.resolve("down"), false);
            down.addPeer(new InetSocketAddress(liarAddress, liar.port()));
            NodeFixtures.await("the corrupt piece to fail its hash", 60, () -> down.status().hashFailures() >= 1);
            NodeFixtures.await("the liar to be dropped", 30, () -> down.status().peersConnected() == 0);
            down.addPeer(NodeFixtures.at(honest));
            down.completion().get(60, TimeUnit.SECONDS);
            NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("data"));
            assertTrue(((Torrent) down).isBanned(liarAddress), "liar banned");
            assertTrue(!((Torrent) down).isBanned(NodeFixtures.LOOPBACK), "honest seeder not banned");
            down.addPeer(new InetSocketAddress(liarAddress, liar.port()));
            assertEquals(1, down.status().hashFailures());
        }
    }

    @Test
    void shouldNotDownloadVerifiedPiecesAgainWhenRestarted() throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "data", BYTES, 32);
        Metainfo meta = NodeFixtures.torrent(source, PIECE);
        Path down = tmp.resolve("down");
        try (PeerNode seeder = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
            seeder.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
            int doneAtStop;
            // Slow enough to stop half way: 1 MiB/s for a 4 MiB torrent.
            try (PeerNode first = PeerNode.start(NodeFixtures.config(PeerTransport.TCP)
                .downloadLimitBytesPerSec(1 << 20).build())) {
                TorrentHandle h = first.add(meta, down, false);
                h.addPeer(NodeFixtures.at(seeder));
                NodeFixtures.await("a quarter of the pieces", 60, () -> h.status().piecesDone() >= meta.pieceCount() / 4);
                h.stop();
                doneAtStop = h.status().piecesDone();
                assertEquals(TorrentState.STOPPED, h.status().state());
            }
            assertTrue(doneAtStop < meta.pieceCount(), "stopped before the end: " + doneAtStop);
            try (PeerNode second = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
                TorrentHandle h = second.add(meta, down, false);
                NodeFixtures.await("the check", 30, () -> h.status().state() != TorrentState.CHECKING);
                assertTrue(h.status().piecesDone() >= doneAtStop, "kept " + h.status().piecesDone());
                h.addPeer(NodeFixtures.at(seeder));
                h.completion().get(60, TimeUnit.SECONDS);
                long missing = meta.totalLength() - (long) doneAtStop * PIECE;
                assertTrue(h.status().downloadedBytes() <= missing,
                    "downloaded " + h.status().downloadedBytes() + " of at most " + missing + " missing");
            }
            NodeFixtures.assertSameTree(source, down.resolve("data"));
        }
    }
}
