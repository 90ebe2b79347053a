package io.shoal.peer.node;

import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A magnet link between real nodes: BEP 9 metadata over the node's own connections, then the download. */
@Timeout(90)
class MagnetOverNodeTest {
    @TempDir
    Path tmp;

    private static MagnetLink magnet(InfoHash hash) throws Exception {
        return MagnetLink.parse("magnet:?xt=urn:btih:" + hash.hex());
    }

    @ParameterizedTest
    @EnumSource(PeerTransport.class)
    void shouldDownloadOverTheMetadataConnectionWhenMagnet(PeerTransport transport) throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "album", 2 << 20, 41);
        Metainfo meta = NodeFixtures.torrent(source, 64 << 10);
        try (PeerNode seeder = PeerNode.start(NodeFixtures.config(transport).build());
             PeerNode leecher = PeerNode.start(NodeFixtures.config(transport).build())) {
            seeder.add(meta, tmp.resolve("seed"), true).completion().get(30, TimeUnit.SECONDS);
            TorrentHandle down = leecher.addMagnet(magnet(meta.infoHash()), List.of(NodeFixtures.at(seeder)),
                tmp.resolve("down"), false, Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
            assertArrayEquals(meta.rawInfo(), down.metainfo().rawInfo(), "the info dictionary, byte for byte");
            down.completion().get(60, TimeUnit.SECONDS);
            NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("album"));
            TransferStatus status = down.status();
            assertEquals(1, transport == PeerTransport.RUDP ? status.peersRudp() : status.peersTcp(),
                "the download runs over " + transport);
            assertEquals(1, seeder.acceptedConnections(), "metadata and data over one connection");
            assertEquals(0, leecher.protocolErrors() + seeder.protocolErrors());
        }
    }

    @Test
    void shouldFetchMetadataFromHonestPeerWhenAnotherLies() throws Exception {
        Path source = NodeFixtures.file(tmp, "movie.bin", 3 << 20, 42);
        Metainfo meta = NodeFixtures.torrent(source, 16 << 10); // 192 piece hashes: an info dictionary of 4 pieces
        byte[] info = meta.rawInfo();
        byte[] lie = info.clone();
        lie[lie.length - 2] ^= 1; // inside the last piece hash: still valid bencode, wrong SHA-1
        try (ServingPeer liar = new ServingPeer(meta.infoHash(), lie);
             ServingPeer honest = new ServingPeer(meta.infoHash(), info);
             PeerNode node = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
            TorrentHandle handle = node.addMagnet(magnet(meta.infoHash()),
                List.of(liar.address(), honest.address()), tmp.resolve("down"), false, Duration.ofSeconds(20))
                .get(30, TimeUnit.SECONDS);
            assertArrayEquals(info, handle.metainfo().rawInfo());
            assertEquals(meta.infoHash(), handle.metainfo().infoHash());
        }
    }

    @Test
    void shouldFailWithOneLineWhenNoPeerHasIt() throws Exception {
        InfoHash hash = InfoHash.sha1Of(new byte[] {1, 2, 3}, 0, 3);
        int closedPort;
        try (PeerNode probe = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
            closedPort = probe.port();
        }
        try (PeerNode node = PeerNode.start(NodeFixtures.config(PeerTransport.TCP, PeerTransport.RUDP)
            .rudpConnectTimeoutMs(200).build())) {
            String closed = failure(node.addMagnet(magnet(hash),
                List.of(new InetSocketAddress(NodeFixtures.LOOPBACK, closedPort)), tmp, false,
                Duration.ofSeconds(10)));
            assertTrue(closed.startsWith("metadata not received") && !closed.contains("\n"), closed);
            String none = failure(node.addMagnet(magnet(hash), List.of(), tmp, false, Duration.ofSeconds(1)));
            assertTrue(none.startsWith("no peers to fetch the metadata from"), none);
        }
    }

    @Test
    void shouldHangUpOnPeerServingAnotherTorrent() throws Exception {
        byte[] info = "d4:name1:xe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        InfoHash wanted = InfoHash.sha1Of(info, 0, info.length);
        InfoHash other = InfoHash.sha1Of(info, 1, 5);
        try (ServingPeer wrong = new ServingPeer(other, info);
             PeerNode node = PeerNode.start(NodeFixtures.config(PeerTransport.TCP).build())) {
            String why = failure(node.addMagnet(magnet(wanted), List.of(wrong.address()), tmp, false,
                Duration.ofSeconds(10)));
            assertTrue(why.contains("another torrent"), why);
        }
    }

    private static String failure(CompletableFuture<TorrentHandle> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        return e.getCause().getMessage();
    }
}
