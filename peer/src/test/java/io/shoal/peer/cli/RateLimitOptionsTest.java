package io.shoal.peer.cli;

import io.shoal.peer.node.PeerNodeConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --up-limit/--down-limit} become the node's global limits, with binary suffixes. */
class RateLimitOptionsTest {
    private static PeerNodeConfig parse(String... args) {
        RateLimitOptions options = new RateLimitOptions();
        new CommandLine(options).parseArgs(args);
        return options.applyTo(PeerNodeConfig.builder()).build();
    }

    @Test
    void shouldSetNodeLimitsWhenGiven() {
        PeerNodeConfig c = parse("--up-limit", "5M", "--down-limit", "800K");
        assertEquals(5L << 20, c.uploadLimitBytesPerSec());
        assertEquals(800L << 10, c.downloadLimitBytesPerSec());
    }

    @Test
    void shouldLeaveUnlimitedWhenAbsent() {
        PeerNodeConfig c = parse();
        assertEquals(0, c.uploadLimitBytesPerSec());
        assertEquals(0, c.downloadLimitBytesPerSec());
    }
}
