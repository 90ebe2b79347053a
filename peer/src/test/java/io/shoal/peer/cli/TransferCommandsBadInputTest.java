package io.shoal.peer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad command line or bad input of send, get, seed and demo: exit 2 and exactly one line on stderr; a port in
 * use: exit 1, one line.
 */
@Timeout(60)
class TransferCommandsBadInputTest {
    @TempDir
    Path tmp;

    private static void assertBad(String expectedFragment, String... args) {
        CliRun r = CliRun.of(args);
        String err = r.err().strip();
        assertEquals(2, r.exit(), String.join(" ", args) + " -> " + r.err());
        assertTrue(err.startsWith("shoal: ") && !err.contains("\n"), "one line: " + r.err());
        assertTrue(err.contains(expectedFragment), "'" + expectedFragment + "' in: " + err);
    }

    private Path torrent() throws Exception {
        Path data = tmp.resolve("data.bin");
        byte[] bytes = new byte[50_000];
        new Random(1).nextBytes(bytes);
        Files.write(data, bytes);
        Path t = tmp.resolve("data.torrent");
        assertEquals(0, CliRun.of("create", data.toString(), "-o", t.toString()).exit());
        return t;
    }

    @Test
    void shouldRefuseBadSendInput() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.txt"), "hello");
        assertBad("PATH", "send");
        assertBad("no such file or folder", "send", tmp.resolve("missing").toString());
        Path elsewhere = Files.writeString(Files.createDirectories(tmp.resolve("other")).resolve("b.txt"), "hi");
        assertBad("several paths must be in one folder", "send", file.toString(), elsewhere.toString());
        assertBad("no such file or folder", "send", file.toString(), tmp.resolve("missing").toString());
        assertBad("exclude each other", "send", file.toString(), "--json", "--quiet");
        assertBad("not a port", "send", file.toString(), "--port", "70000");
        assertBad("no files in it", "send", Files.createDirectories(tmp.resolve("empty")).toString(),
            "--port", "0", "--tracker", "http://127.0.0.1:1/announce");
    }

    @Test
    void shouldRefuseBadGetInput() throws Exception {
        Path t = torrent();
        Path notTorrent = Files.writeString(tmp.resolve("junk.torrent"), "not bencode");
        assertBad("MAGNET", "get");
        assertBad("is not a size", "get", t.toString(), "--down-limit", "fast");
        assertBad("is not a size", "get", t.toString(), "--up-limit", "-5M");
        assertBad("bad magnet link", "get", "magnet:?xt=urn:btih:zzzz");
        assertBad("bad magnet link", "get", "magnet:?dn=x");
        assertBad("no such file", "get", tmp.resolve("missing.torrent").toString());
        assertBad("bad .torrent", "get", notTorrent.toString());
        assertBad("expected a magnet link or a .torrent", "get", tmp.toString());
        assertBad("HOST:PORT", "get", t.toString(), "--peer", "nohostport");
        assertBad("--timeout", "get", t.toString(), "--timeout", "-1");
        assertBad("not a folder", "get", t.toString(), "-o", notTorrent.toString());
        assertBad("exclude each other", "get", t.toString(), "--json", "-q");
    }

    @Test
    void shouldRefuseBadSeedAndDemoInput() throws Exception {
        Path t = torrent();
        assertBad("DIR", "seed", t.toString());
        assertBad("no such file", "seed", tmp.resolve("missing.torrent").toString(), tmp.toString());
        assertBad("no such folder", "seed", t.toString(), tmp.resolve("missing").toString());
        assertBad("--size", "demo", "--size", "0");
        assertBad("--loss", "demo", "--loss", "100");
    }

    @Test
    void shouldFailWithOneLineWhenThePortIsTaken() throws Exception {
        Path t = torrent();
        try (ServerSocket taken = new ServerSocket(0)) {
            CliRun r = CliRun.of("seed", t.toString(), tmp.toString(), "--port",
                String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().strip().matches("shoal: cannot listen on .*" + taken.getLocalPort()
                + ".*; choose another --port"), r.err());
        }
    }

    @Test
    void shouldDocumentExitCodesInHelp() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit());
        for (String code : new String[] {"0", "1", "2", "130"}) {
            assertTrue(r.out().matches("(?s).*\\n\\s+" + code + "\\s+\\S.*"), "exit code " + code + ": " + r.out());
        }
        assertTrue(r.out().contains("send") && r.out().contains("get") && r.out().contains("seed"), r.out());
    }
}
