package io.shoal.peer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(180)
class SwarmDemoTest {
    @Test
    void shouldDeliverVerifiedCopiesToBothDownloadersThroughLossyRelays() {
        CliRun r = CliRun.of("demo", "--size", "1M", "--loss", "2", "--delay-ms", "10", "--jitter-ms", "2",
            "--timeout", "150");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("both copies MATCH"), r.out());
        assertTrue(r.out().contains("downloader 2:") && r.out().contains("over rudp"), r.out());
    }
}
