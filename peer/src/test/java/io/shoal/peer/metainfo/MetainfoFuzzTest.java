package io.shoal.peer.metainfo;

import io.shoal.peer.storage.PieceVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutated torrents and magnet links either parse or fail with a one-line MetainfoException, never anything else. */
class MetainfoFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void shouldOnlyEverThrowMetainfoExceptionOnMutatedTorrents() throws Exception {
        byte[] valid;
        try (PieceVerifier verifier = new PieceVerifier(1)) {
            Metainfo m = TorrentBuilder.of(TorrentFixtures.sampleFolder(tmp)).tracker("http://t/a").comment("c")
                .pieceLength(16 << 10).build(verifier, p -> { });
            valid = MetainfoWriter.toBytes(m);
        }
        long seed = Long.getLong("shoal.seed", 12L);
        Random r = new Random(seed);
        byte[] alphabet = "dlie0123456789:-/.".getBytes(StandardCharsets.US_ASCII);
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] data = valid.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(data.length);
                data[at] = r.nextBoolean() ? alphabet[r.nextInt(alphabet.length)] : (byte) r.nextInt(256);
            }
            try {
                MetainfoReader.parse(data);
                parsed++;
            } catch (MetainfoException e) {
                assertTrue(e.getMessage().startsWith("bad .torrent: ") && !e.getMessage().contains("\n"),
                    "seed " + seed + ": " + e.getMessage());
            }
        }
        assertTrue(parsed > 0 && parsed < 5000, "seed " + seed + ": parsed " + parsed);
    }

    @Test
    void shouldOnlyEverThrowMetainfoExceptionOnMutatedMagnets() {
        String valid = new MagnetLink(InfoHash.parse("c9e15763f722f23e98a29decdfae341b98d53056"), "n a",
            java.util.List.of("udp://t:1"), java.util.List.of("1.2.3.4:5")).format();
        long seed = Long.getLong("shoal.seed", 13L);
        Random r = new Random(seed);
        String alphabet = "%&=:?+abcXYZ019\u00e9";
        int failed = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder(valid);
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b.setCharAt(r.nextInt(b.length()), alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                assertEquals(20, MagnetLink.parse(b.toString()).infoHash().bytes().length);
            } catch (MetainfoException e) {
                failed++;
                assertTrue(e.getMessage().startsWith("bad magnet link: "), "seed " + seed + ": " + e.getMessage());
            }
        }
        assertTrue(failed > 0, "seed " + seed);
    }
}
