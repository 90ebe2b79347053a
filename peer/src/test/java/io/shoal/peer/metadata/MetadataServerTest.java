package io.shoal.peer.metadata;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.storage.PieceVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataServerTest {
    @TempDir
    Path tmp;

    private Metainfo sample() throws Exception {
        byte[] data = new byte[300_000];
        new Random(11).nextBytes(data);
        Path file = Files.write(tmp.resolve("sample.bin"), data);
        try (PieceVerifier verifier = new PieceVerifier(1)) {
            return TorrentBuilder.of(file).pieceLength(16 << 10).tracker("http://127.0.0.1:1/announce")
                .build(verifier, piece -> { });
        }
    }

    @Test
    void shouldServeEveryPieceSoAFetcherRebuildsTheSameTorrent() throws Exception {
        Metainfo m = sample();
        MetadataServer server = new MetadataServer(m.rawInfo());
        MetadataFetcher fetcher = new MetadataFetcher(m.infoHash(), 1_000_000_000L);
        fetcher.addPeer(1, server.sizeBytes());
        for (int piece = fetcher.nextRequest(1, 0); piece >= 0; piece = fetcher.nextRequest(1, 0)) {
            byte[] reply = server.answer(MetadataCodec.encode(new MetadataMessage.Request(piece)));
            fetcher.onMessage(1, MetadataCodec.decode(reply).message(), 0);
        }
        assertTrue(fetcher.isComplete());
        Metainfo rebuilt = MetadataTorrent.toMetainfo(fetcher.metadata(), List.of("http://127.0.0.1:1/announce"));
        assertEquals(m.infoHash(), rebuilt.infoHash());
        assertEquals(m.announceTiers(), rebuilt.announceTiers());
        assertArrayEquals(m.pieceHashes(), rebuilt.pieceHashes());
        assertEquals(m.infoHash(), MetainfoReader.parse(MetainfoWriter.toBytes(rebuilt)).infoHash());
    }

    @Test
    void shouldRejectPiecesThatDoNotExistAndIgnoreNonRequests() {
        MetadataServer server = new MetadataServer(new byte[MetadataCodec.PIECE_BYTES]);
        assertInstanceOf(MetadataMessage.Reject.class, server.respond(1));
        assertInstanceOf(MetadataMessage.Reject.class, server.respond(-1));
        assertNull(server.answer(MetadataCodec.encode(new MetadataMessage.Reject(0))));
        assertNull(server.answer("garbage".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> new MetadataServer(new byte[0]));
    }

    @Test
    void shouldRefuseMetadataThatIsNotAValidInfoDictionary() {
        MetainfoException e = assertThrows(MetainfoException.class,
            () -> MetadataTorrent.toMetainfo("d4:name1:xe".getBytes(StandardCharsets.US_ASCII), List.of()));
        assertTrue(e.getMessage().startsWith("bad .torrent"), e.getMessage());
    }
}
