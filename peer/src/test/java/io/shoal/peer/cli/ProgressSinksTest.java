package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.peer.node.TorrentState;
import io.shoal.peer.node.TransferStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressSinksTest {
    private static TransferStatus status(TorrentState state, long verified, long downRate) {
        return new TransferStatus(state, 1_000_000, verified, 0, 10, verified, 5, downRate, 7, 3, 1, 2, 0, null);
    }

    @Test
    void shouldEstimateSecondsLeftOnlyWhileDownloadingWithARate() {
        assertEquals(4, TransferWatch.etaSec(status(TorrentState.DOWNLOADING, 600_000, 100_000)));
        assertEquals(5, TransferWatch.etaSec(status(TorrentState.DOWNLOADING, 600_001, 80_000)), "rounded up");
        assertEquals(-1, TransferWatch.etaSec(status(TorrentState.DOWNLOADING, 600_000, 0)));
        assertEquals(-1, TransferWatch.etaSec(status(TorrentState.SEEDING, 1_000_000, 100_000)));
        assertEquals(-1, TransferWatch.etaSec(status(TorrentState.CHECKING, 0, 100_000)));
    }

    @Test
    void shouldPrintOneJsonObjectPerUpdateWithTheDocumentedFields() throws Exception {
        StringWriter text = new StringWriter();
        try (JsonProgress sink = new JsonProgress(new PrintWriter(text))) {
            sink.update(status(TorrentState.DOWNLOADING, 250_000, 50_000), 15);
            sink.update(status(TorrentState.SEEDING, 1_000_000, 0), -1);
        }
        String[] lines = text.toString().strip().split("\\R");
        assertEquals(2, lines.length);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals("downloading", first.get("state").asText());
        assertEquals(0.25, first.get("fraction").asDouble());
        assertEquals(250_000, first.get("bytes").asLong());
        assertEquals(50_000, first.get("down_rate").asLong());
        assertEquals(7, first.get("up_rate").asLong());
        assertEquals(3, first.get("peers").asInt());
        assertEquals(2, first.get("peers_rudp").asInt());
        assertEquals(15, first.get("eta_s").asLong());
        JsonNode last = new ObjectMapper().readTree(lines[1]);
        assertTrue(last.get("eta_s").isNull());
        assertEquals(1.0, last.get("fraction").asDouble());
    }

    @Test
    void shouldPrintPlainLinesEveryTenUpdatesAndOnStateChanges() {
        StringWriter text = new StringWriter();
        LineProgress sink = new LineProgress(new PrintWriter(text));
        for (int i = 0; i < 12; i++) {
            sink.update(status(TorrentState.DOWNLOADING, i * 1000L, 1000), 5);
        }
        sink.update(status(TorrentState.SEEDING, 1_000_000, 0), -1);
        String[] lines = text.toString().strip().split("\\R");
        assertEquals(3, lines.length, text.toString());
        assertTrue(lines[0].startsWith("downloading") && lines[0].contains("eta 5 s"), lines[0]);
        assertTrue(lines[2].startsWith("seeding 100.0%") && lines[2].contains("3 peers (2 rudp, 1 tcp)"), lines[2]);
    }
}
