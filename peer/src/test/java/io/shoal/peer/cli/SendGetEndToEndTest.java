package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code send} and {@code get} against each other in one JVM on loopback: a magnet link (metadata over BEP 9, peers
 * from x.pe and the embedded tracker) and the {@code .torrent} that send wrote (peers from the tracker alone).
 */
@Timeout(180)
class SendGetEndToEndTest {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tmp;

    @Test
    void shouldGetWhatSendSharesByMagnetAndByTorrent() throws Exception {
        byte[] data = new byte[1_500_000];
        new Random(42).nextBytes(data);
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.write(shared.resolve("movie.bin"), data);
        Path torrent = tmp.resolve("movie.torrent");
        StringWriter sendOut = new StringWriter();
        CommandLine send = ShoalCli.newCommandLine();
        send.setOut(new PrintWriter(sendOut, true));
        send.setErr(new PrintWriter(new StringWriter(), true));
        Thread[] sender = new Thread[1];
        CompletableFuture<Integer> sendExit = new CompletableFuture<>();
        sender[0] = new Thread(() -> sendExit.complete(send.execute("send", shared.resolve("movie.bin").toString(),
            "--port", "0", "--host", "127.0.0.1", "--quiet", "-o", torrent.toString())), "send");
        sender[0].start();
        try {
            String magnet = awaitMagnet(sendOut);
            assertTrue(magnet.contains("&tr=http%3A%2F%2F127.0.0.1%3A") && magnet.contains("&x.pe=127.0.0.1%3A"),
                magnet);

            CliRun byMagnet = CliRun.of("get", magnet, "-o", tmp.resolve("d1").toString(), "--quiet",
                "--timeout", "120");
            assertEquals(0, byMagnet.exit(), byMagnet.err());
            assertEquals("", byMagnet.out() + byMagnet.err(), "--quiet prints nothing");
            assertArrayEquals(data, Files.readAllBytes(tmp.resolve("d1").resolve("movie.bin")));

            CliRun byTorrent = CliRun.of("get", torrent.toString(), "-o", tmp.resolve("d2").toString(), "--json",
                "--timeout", "120");
            assertEquals(0, byTorrent.exit(), byTorrent.err());
            assertArrayEquals(data, Files.readAllBytes(tmp.resolve("d2").resolve("movie.bin")));
            String[] lines = byTorrent.out().strip().split("\\R");
            JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
            assertEquals("seeding", last.get("state").asText(), byTorrent.out());
            assertEquals(1.0, last.get("fraction").asDouble());
            assertEquals(data.length, last.get("bytes").asLong());
            for (String field : new String[] {"down_rate", "up_rate", "peers", "eta_s"}) {
                assertTrue(last.has(field), field);
            }
        } finally {
            sender[0].interrupt();
        }
        assertEquals(TransferWatch.INTERRUPTED, sendExit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldFailWithOneLineWhenAMagnetHasNoPeers() {
        CliRun r = CliRun.of("get", "magnet:?xt=urn:btih:" + "ab".repeat(20), "-o", tmp.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("shoal: cannot get the torrent's metadata: no peers to fetch the metadata from (give --peer "
            + "HOST:PORT or a tracker)", r.err().strip());
    }

    private static String awaitMagnet(StringWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NS;
        while (System.nanoTime() - deadline < 0) {
            for (String line : out.toString().split("\\R")) {
                if (line.startsWith("magnet:?")) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        return fail("send printed no magnet link within 60 s: " + out);
    }
}
