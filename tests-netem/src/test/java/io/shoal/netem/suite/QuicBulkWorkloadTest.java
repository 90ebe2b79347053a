package io.shoal.netem.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The QUIC comparison moves its payload intact, straight and through a lossy proxy; skipped (not passed) where Netty's
 * native QUIC library does not load. Only integrity and completion are checked: its goodput is a report figure.
 */
@Timeout(60)
class QuicBulkWorkloadTest {
    private static final SuiteSize SMALL = new SuiteSize("small", 256 * 1024, 3, 1, 30_000);

    @Test
    void shouldDeliverThePayloadIntactWhenSentStraightToTheServer() throws Exception {
        String why = QuicBulkTransfer.unavailableReason();
        assumeTrue(why == null, why);
        byte[] data = new byte[300_001];
        new SplittableRandom(3).nextBytes(data);
        try (QuicBulkTransfer transfer = new QuicBulkTransfer(data.length, () -> { })) {
            QuicBulkTransfer.Result r = transfer.run(transfer.serverAddress(), data, 20_000);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.sha256());
            assertTrue(r.elapsedNs() > 0 && r.clientSentBytes() > data.length, r.toString());
        }
    }

    @Test
    void shouldPassTheScenarioWhenTheProxyLosesFivePercent() {
        QuicBulkWorkload workload = new QuicBulkWorkload();
        String why = workload.unsupportedReason(LinkProfile.LOSS_5);
        assumeTrue(why == null, why);
        ScenarioResult r = new ScenarioRunner(SMALL, 11).run(LinkProfile.LOSS_5, workload);
        assertEquals(ScenarioResult.Status.PASSED, r.status(), r.reason());
        System.out.println("quic-bulk @ loss 5% (test JVM): " + r.measurement());
    }

    @Test
    void shouldNameTheReasonWhenSkipped() {
        String why = QuicBulkTransfer.unavailableReason();
        assertTrue(why == null || why.contains("QUIC"), why);
        assertEquals(why, new QuicBulkWorkload().unsupportedReason(LinkProfile.CLEAN));
    }
}
