package io.shoal.peer.metadata;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.PeerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        MetadataExtension serving = new MetadataExtension(new MetadataServer(m.rawInfo()));
        serving.onHandshake(handshake(7));
        MetadataFetcher fetcher = new MetadataFetcher(m.infoHash(), 1_000_000_000L);
        fetcher.addPeer(1, serving.metadataSizeBytes());
        for (int piece = fetcher.nextRequest(1, 0); piece >= 0; piece = fetcher.nextRequest(1, 0)) {
            PeerMessage.Extended reply = serving.onExtended(request(piece));
            assertEquals(7, reply.extendedId());
            fetcher.onMessage(1, MetadataCodec.decode(reply.payload()).message(), 0);
        }
        assertTrue(fetcher.isComplete());
        Metainfo rebuilt = MetadataTorrent.toMetainfo(fetcher.metadata(), List.of("http://127.0.0.1:1/announce"));
        assertEquals(m.infoHash(), rebuilt.infoHash());
        assertEquals(m.announceTiers(), rebuilt.announceTiers());
        assertArrayEquals(m.pieceHashes(), rebuilt.pieceHashes());
        assertEquals(m.infoHash(), MetainfoReader.parse(MetainfoWriter.toBytes(rebuilt)).infoHash());
    }

    private static ExtendedHandshake handshake(int utMetadataId) {
        return new ExtendedHandshake(Map.of(MetadataCodec.EXTENSION, utMetadataId), 0, null, null, 0, 0, -1);
    }

    private static PeerMessage.Extended request(int piece) {
        return new PeerMessage.Extended(MetadataExtension.LOCAL_ID,
            MetadataCodec.encode(new MetadataMessage.Request(piece)));
    }

    @Test
    void shouldRejectPiecesThatDoNotExistAndIgnoreNonRequests() {
        MetadataServer server = new MetadataServer(new byte[MetadataCodec.PIECE_BYTES]);
        assertInstanceOf(MetadataMessage.Reject.class, server.respond(1));
        assertInstanceOf(MetadataMessage.Reject.class, server.respond(-1));
        assertThrows(IllegalArgumentException.class, () -> new MetadataServer(new byte[0]));
        MetadataExtension serving = new MetadataExtension(server);
        assertNull(serving.onExtended(request(0)), "the peer has not said which id it wants");
        serving.onHandshake(handshake(2));
        assertNull(serving.onExtended(new PeerMessage.Extended(MetadataExtension.LOCAL_ID,
            MetadataCodec.encode(new MetadataMessage.Reject(0)))));
        assertNull(serving.onExtended(new PeerMessage.Extended(MetadataExtension.LOCAL_ID,
            "garbage".getBytes(StandardCharsets.US_ASCII))));
        assertNull(serving.onExtended(new PeerMessage.Extended(9, MetadataCodec.encode(
            new MetadataMessage.Request(0)))), "another extension's id");
    }

    @Test
    void shouldRejectAFloodOfRequestsOnOneConnection() {
        MetadataExtension serving = new MetadataExtension(new MetadataServer(new byte[100]));
        serving.onHandshake(handshake(2));
        int budget = MetadataExtension.answerBudget(1);
        for (int i = 0; i < budget; i++) {
            assertInstanceOf(MetadataMessage.Data.class,
                MetadataCodec.decode(serving.onExtended(request(0)).payload()).message());
        }
        assertInstanceOf(MetadataMessage.Reject.class,
            MetadataCodec.decode(serving.onExtended(request(0)).payload()).message());
    }

    @Test
    void shouldRefuseMetadataThatIsNotAValidInfoDictionary() {
        MetainfoException e = assertThrows(MetainfoException.class,
            () -> MetadataTorrent.toMetainfo("d4:name1:xe".getBytes(StandardCharsets.US_ASCII), List.of()));
        assertTrue(e.getMessage().startsWith("bad .torrent"), e.getMessage());
    }
}
