package io.shoal.peer.metainfo;

import io.shoal.rudp.test.ExternalTool;
import io.shoal.peer.storage.PieceVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Torrents made by {@code mktorrent} and Transmission read correctly here, and torrents made here read correctly in
 * {@code aria2c} and Transmission: same info hash, computed independently on each side. Each test skips (with a
 * message) when its tool cannot be installed.
 */
@Timeout(300)
class RealClientInteropTest {
    private static final PieceVerifier VERIFIER = new PieceVerifier(2);
    private static final Pattern ARIA2_HASH = Pattern.compile("Info Hash: ([0-9a-f]{40})");

    @TempDir
    Path tmp;

    @AfterAll
    static void stop() {
        VERIFIER.close();
    }

    @Test
    void shouldReadMktorrentFilesWithTheSameInfoHash() throws Exception {
        String mktorrent = ExternalTool.require("mktorrent", "mktorrent");
        Path dir = TorrentFixtures.sampleFolder(tmp);
        Path file = tmp.resolve("mk.torrent");
        ExternalTool.Result r = ExternalTool.run(List.of(mktorrent, "-a", "http://tracker.example/announce",
            "-c", "made by mktorrent", "-l", "15", "-o", file.toString(), dir.toString()), 60);
        assertEquals(0, r.exit(), r.output());
        byte[] data = Files.readAllBytes(file);
        Metainfo m = MetainfoReader.parse(data);
        assertEquals(independentInfoHash(data), m.infoHash());
        assertEquals(32 << 10, m.pieceLength());
        assertEquals(List.of(List.of("http://tracker.example/announce")), m.announceTiers());
        assertEquals("made by mktorrent", m.comment());
        assertEquals(List.of("album/a.bin", "album/empty.txt", "album/sub/b.bin"),
            m.files().stream().map(f -> f.displayPath()).toList());
        Metainfo ours = TorrentBuilder.of(dir).pieceLength(32 << 10).build(VERIFIER, p -> { });
        assertEquals(ours.pieceCount(), m.pieceCount());
        assertTrue(java.util.Arrays.equals(ours.pieceHashes(), m.pieceHashes()), "same piece hashes as mktorrent");
    }

    @Test
    void shouldOpenOurTorrentsInAria2WithTheSameInfoHash() throws Exception {
        String aria2c = ExternalTool.require("aria2c", "aria2");
        Path single = TorrentFixtures.randomFile(tmp.resolve("src").resolve("movie.bin"), 300_000, 9);
        Path dir = TorrentFixtures.sampleFolder(tmp.resolve("src"));
        for (Path source : List.of(single, dir)) {
            Metainfo m = TorrentBuilder.of(source).tracker("http://tracker.example/announce").comment("c")
                .build(VERIFIER, p -> { });
            Path file = tmp.resolve(source.getFileName() + ".torrent");
            MetainfoWriter.write(m, file);
            ExternalTool.Result r = ExternalTool.run(List.of(aria2c, "-S", file.toString()), 60);
            assertEquals(0, r.exit(), r.output());
            Matcher hash = ARIA2_HASH.matcher(r.output());
            assertTrue(hash.find(), r.output());
            assertEquals(m.infoHash().hex(), hash.group(1));
            for (var f : m.files()) {
                assertTrue(r.output().contains(f.displayPath()), f.displayPath() + " in " + r.output());
            }
        }
    }

    @Test
    void shouldAgreeWithTransmissionOnInfoHashesBothWays() throws Exception {
        String create = ExternalTool.require("transmission-create", "transmission-cli");
        String show = ExternalTool.require("transmission-show", "transmission-cli");
        Path dir = TorrentFixtures.sampleFolder(tmp);
        Path theirs = tmp.resolve("theirs.torrent");
        ExternalTool.Result made = ExternalTool.run(List.of(create, "-o", theirs.toString(), "-t",
            "http://tracker.example/announce", "-s", "32", "-c", "from transmission", dir.toString()), 60);
        assertEquals(0, made.exit(), made.output());
        Metainfo read = MetainfoReader.read(theirs);
        assertEquals(transmissionHash(show, theirs), read.infoHash().hex());
        assertEquals("from transmission", read.comment());
        assertTrue(read.createdBy().startsWith("Transmission/"), read.createdBy());
        // Transmission leaves empty files out of what it creates.
        assertEquals(List.of("album/a.bin", "album/sub/b.bin"), read.files().stream().map(f -> f.displayPath())
            .toList());

        Metainfo ours = TorrentBuilder.of(dir).tracker("http://tracker.example/announce").privateFlag(true)
            .build(VERIFIER, p -> { });
        Path file = tmp.resolve("ours.torrent");
        MetainfoWriter.write(ours, file);
        assertEquals(ours.infoHash().hex(), transmissionHash(show, file));
    }

    private static String transmissionHash(String show, Path torrent) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of(show, torrent.toString()), 60);
        assertEquals(0, r.exit(), r.output());
        Matcher m = Pattern.compile("Hash: ([0-9a-f]{40})").matcher(r.output());
        assertTrue(m.find(), r.output());
        return m.group(1);
    }

    /** SHA-1 of the bytes between {@code 4:info} and the top level's final {@code e}: mktorrent writes info last. */
    private static InfoHash independentInfoHash(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("4:infod") + "4:info".length();
        assertTrue(start > 6 && data[data.length - 1] == 'e');
        return InfoHash.sha1Of(data, start, data.length - 1 - start);
    }
}
