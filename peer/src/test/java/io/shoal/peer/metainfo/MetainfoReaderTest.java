package io.shoal.peer.metainfo;

import io.shoal.peer.storage.PieceVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetainfoReaderTest {
    private static final PieceVerifier VERIFIER = new PieceVerifier(2);
    private static final String PIECE = "01234567890123456789";

    @TempDir
    Path tmp;

    @AfterAll
    static void stop() {
        VERIFIER.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String error(String torrent) {
        return assertThrows(MetainfoException.class, () -> MetainfoReader.parse(b(torrent))).getMessage();
    }

    @Test
    void shouldRoundTripMultiFileTorrentWithTrackersAndFlags() throws Exception {
        Path dir = TorrentFixtures.sampleFolder(tmp);
        Metainfo built = TorrentBuilder.of(dir).tracker("http://t1/announce").tracker("udp://t2:80")
            .pieceLength(32 << 10).privateFlag(true).comment("hello").creationDateSec(1_700_000_000L)
            .build(VERIFIER, piece -> { });
        Path file = tmp.resolve("album.torrent");
        MetainfoWriter.write(built, file);
        Metainfo read = MetainfoReader.read(file);
        assertEquals(built.infoHash(), read.infoHash());
        assertEquals("album", read.name());
        assertEquals(List.of("album/a.bin", "album/empty.txt", "album/sub/b.bin"),
            read.files().stream().map(f -> f.displayPath()).toList());
        assertEquals(133_333, read.totalLength());
        assertEquals(5, read.pieceCount());
        assertEquals(List.of(List.of("http://t1/announce"), List.of("udp://t2:80")), read.announceTiers());
        assertTrue(read.isPrivate());
        assertEquals("hello", read.comment());
        assertEquals("shoal", read.createdBy());
        assertEquals(1_700_000_000L, read.creationDateSec());
        assertFalse(read.singleFile());
    }

    @Test
    void shouldHashRawInfoBytesWhenKeysAreOutOfOrder() throws Exception {
        String info = "d12:piece lengthi16384e4:name1:x6:lengthi5e6:pieces20:" + PIECE + "e";
        byte[] data = b("d4:info" + info + "8:announce1:ue");
        Metainfo m = MetainfoReader.parse(data);
        assertEquals(InfoHash.sha1Of(b(info), 0, info.length()), m.infoHash());
        assertArrayEquals(b(info), m.rawInfo());
        assertTrue(m.singleFile());
        Metainfo again = MetainfoReader.parse(MetainfoWriter.toBytes(m));
        assertEquals(m.infoHash(), again.infoHash());
    }

    @Test
    void shouldRejectBadTorrentsWithOneReadableLine() {
        String head = "d4:infod";
        String tail = "ee";
        assertEquals("bad .torrent: piece length 0",
            error(head + "6:lengthi5e4:name1:x12:piece lengthi0e6:pieces0:" + tail));
        assertTrue(error(head + "6:lengthi5e4:name1:x12:piece lengthi4e6:pieces20:" + PIECE + tail)
            .contains("expected 20 for each of 2 pieces"));
        assertTrue(error(head + "4:name1:x12:piece lengthi4e6:pieces0:" + tail).contains("neither"));
        assertTrue(error(head + "6:lengthi-1e4:name1:x12:piece lengthi4e6:pieces0:" + tail).contains("negative"));
        assertTrue(error("d8:announce1:ue").contains("no 'info'"));
        assertTrue(error("d4:infoi1ee").contains("not a dictionary"));
        assertTrue(error("d4:infod").startsWith("bad .torrent: truncated"));
        assertTrue(error(head + "6:lengthi1e4:name2:..12:piece lengthi4e6:pieces20:" + PIECE + tail)
            .contains("unsafe file path"));
    }

    @Test
    void shouldRejectUnsafePathsInMultiFileTorrents() {
        for (String path : new String[] {"l2:..1:xe", "l0:e", "le", "l3:a/be", "l3:CONe", "l3:a\\be", "l3:a\0be"}) {
            String t = "d4:infod5:filesld6:lengthi1e4:path" + path + "ee4:name1:x12:piece lengthi4e6:pieces20:"
                + PIECE + "ee";
            String message = error(t);
            assertTrue(message.startsWith("bad .torrent: "), message);
            assertTrue(message.contains("path") || message.contains("name"), path + " -> " + message);
        }
    }

    @Test
    void shouldChoosePieceLengthForAboutTwoThousandPieces() {
        assertEquals(16 << 10, PieceLengths.choose(0));
        assertEquals(16 << 10, PieceLengths.choose(32_768_000L));
        assertEquals(32 << 10, PieceLengths.choose(32_768_001L));
        assertEquals(2 << 20, PieceLengths.choose(2L << 30));
        assertEquals(16 << 20, PieceLengths.choose(1L << 40));
        long pieces = (700L << 20) / PieceLengths.choose(700L << 20);
        assertTrue(pieces >= 1000 && pieces <= 2000, "pieces " + pieces);
    }
}
