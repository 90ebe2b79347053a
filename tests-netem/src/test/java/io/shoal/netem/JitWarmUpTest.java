package io.shoal.netem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up runs at least one round, stops at its time limit, and leaves no proxy behind. */
@Timeout(60)
class JitWarmUpTest {
    @Test
    void shouldRunOneRoundAndLeaveNoProxyWhenTheLimitIsShorterThanARound() throws Exception {
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 7)) {
            JitWarmUp.Outcome o = JitWarmUp.run(server, 1000, 1);
            assertEquals(1, o.rounds(), o.toString());
            assertTrue(o.elapsedMs() >= 1000, "a round sends for a second: " + o);
            assertTrue(server.proxies().list().isEmpty(), "the warm-up deletes its proxies");
        }
    }
}
