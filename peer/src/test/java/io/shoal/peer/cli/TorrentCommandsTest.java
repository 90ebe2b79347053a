package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.peer.metainfo.MetainfoReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class TorrentCommandsTest {
    @TempDir
    Path tmp;

    /** Runs the CLI; returns exit code, then stdout, then stderr. */
    private static String[] shoal(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {String.valueOf(r.exit()), r.out(), r.err()};
    }

    @Test
    void shouldCreateTorrentThatInfoShowsWithTheSameInfoHash() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("share"));
        byte[] data = new byte[200_000];
        new Random(5).nextBytes(data);
        Files.write(dir.resolve("one.bin"), data);
        Files.write(dir.resolve("two.txt"), "hello".getBytes());
        Path torrent = tmp.resolve("share.torrent");
        String[] created = shoal("create", dir.toString(), "-o", torrent.toString(), "--tracker",
            "http://127.0.0.1:6969/announce", "--piece-length", "32k", "--private", "--comment", "test");
        assertEquals("0", created[0], created[2]);
        String hash = MetainfoReader.read(torrent).infoHash().hex();
        assertTrue(created[1].contains("info hash " + hash), created[1]);
        assertTrue(created[1].contains("magnet:?xt=urn:btih:" + hash + "&dn=share&tr=http%3A%2F%2F127.0.0.1"),
            created[1]);

        String[] info = shoal("info", torrent.toString());
        assertEquals("0", info[0], info[2]);
        assertTrue(info[1].contains("info hash:  " + hash), info[1]);
        assertTrue(info[1].contains("share/two.txt") && info[1].contains("private:    yes"), info[1]);

        JsonNode json = new ObjectMapper().readTree(shoal("info", "--json", torrent.toString())[1]);
        assertEquals(hash, json.get("info_hash").asText());
        assertEquals(200_005, json.get("total_bytes").asLong());
        assertEquals(7, json.get("pieces").asInt());
        assertEquals(2, json.get("files").size());
    }

    @Test
    void shouldPrintOneLineAndExit2WhenTheTorrentIsBad() throws Exception {
        Path bad = Files.write(tmp.resolve("bad.torrent"),
            "d4:infod6:lengthi5e4:name1:x12:piece lengthi0e6:pieces0:ee".getBytes());
        Path garbage = Files.write(tmp.resolve("garbage.torrent"), new byte[] {1, 2, 3});
        Object[][] cases = {
            {bad, "shoal: bad .torrent: piece length 0"},
            {garbage, "shoal: bad .torrent: not a bencoded dictionary at byte 0"},
            {tmp.resolve("missing.torrent"), "shoal: no such file: "},
        };
        for (Object[] c : cases) {
            String[] r = shoal("info", c[0].toString());
            assertEquals("2", r[0], r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].startsWith((String) c[1]), r[2]);
            assertEquals("", r[1]);
        }
    }

    @Test
    void shouldExit2WhenCreateGetsBadInput() throws Exception {
        Path file = Files.write(tmp.resolve("f.bin"), new byte[10]);
        String[] pieceLength = shoal("create", file.toString(), "-o", tmp.resolve("x.torrent").toString(),
            "--piece-length", "1000");
        assertEquals("2", pieceLength[0]);
        assertTrue(pieceLength[2].startsWith("shoal: --piece-length must be a power of two"), pieceLength[2]);
        String[] missing = shoal("create", tmp.resolve("nope").toString(), "-o", tmp.resolve("y.torrent").toString());
        assertEquals("2", missing[0]);
        assertEquals("shoal: no such file or folder: " + tmp.resolve("nope"), missing[2].strip());
        Path dir = Files.createDirectories(tmp.resolve("weird"));
        Files.write(dir.resolve("back\\slash"), new byte[1]);
        String[] unsafe = shoal("create", dir.toString(), "-o", tmp.resolve("z.torrent").toString());
        assertEquals("2", unsafe[0]);
        assertTrue(unsafe[2].contains("separator inside path component"), unsafe[2]);
        assertTrue(Files.notExists(tmp.resolve("z.torrent")));
    }
}
