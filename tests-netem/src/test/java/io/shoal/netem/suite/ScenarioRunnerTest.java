package io.shoal.netem.suite;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner reports what a workload did: passed, damaged, too slow, unsupported; it never passes a failure. */
class ScenarioRunnerTest {
    private static final SuiteSize TINY = new SuiteSize("tiny", 1024, 3, 1, 1_000);
    private static final ScenarioRunner RUNNER = new ScenarioRunner(TINY, 7);

    private interface Body {
        Measurement run(ScenarioContext context) throws Exception;
    }

    private record Fixed(String id, Body body) implements Workload {
        @Override
        public Measurement run(ScenarioContext context) throws Exception {
            return body.run(context);
        }

        @Override
        public String unsupportedReason(LinkProfile profile) {
            return profile.rebinds() ? "cannot rebind" : null;
        }
    }

    @Test
    void shouldReportIntegrityFailureWhenTheWorkloadSaysDamaged() {
        ScenarioResult r = RUNNER.run(LinkProfile.CLEAN, new Fixed("damaged", ctx -> {
            throw new IntegrityException("message 3 delivered twice");
        }));
        assertEquals(ScenarioResult.Status.FAILED, r.status());
        assertTrue(r.reason().contains("integrity: message 3 delivered twice"), r.reason());
        assertNull(r.measurement());
    }

    @Test
    void shouldFailWhenTheWorkloadOutlivesItsTimeLimit() {
        ScenarioResult r = RUNNER.run(LinkProfile.CLEAN, new Fixed("stuck", ctx -> {
            Thread.sleep(60_000); // interrupted by the runner at the limit
            return null;
        }));
        assertEquals(ScenarioResult.Status.FAILED, r.status());
        assertTrue(r.reason().startsWith("did not complete within 1000 ms"), r.reason());
        assertTrue(r.wallSeconds() < 30, "the runner gave up near the limit: " + r.wallSeconds());
    }

    @Test
    void shouldSkipWithTheReasonWhenTheProfileIsUnsupported() {
        ScenarioResult r = RUNNER.run(LinkProfile.REBIND, new Fixed("fixed", ctx -> null));
        assertEquals(ScenarioResult.Status.SKIPPED, r.status());
        assertEquals("cannot rebind", r.reason());
    }

    @Test
    void shouldFailWhenTheMidwayToxicsWereNeverApplied() {
        Measurement m = new Measurement(1, 1, new LatencySamples(), 0, "");
        ScenarioResult r = RUNNER.run(LinkProfile.BLACKOUT_3S, new Fixed("no-midpoint", ctx -> m));
        assertEquals(ScenarioResult.Status.FAILED, r.status());
        assertTrue(r.reason().contains("never signalled its midpoint"), r.reason());
    }

    @Test
    void shouldPassAndKeepTheMeasurementWhenTheProxyWasApplied() {
        ScenarioResult r = RUNNER.run(LinkProfile.LOSS_5, new Fixed("proxy", ctx -> {
            InetSocketAddress a = ctx.udpProxy("p", new InetSocketAddress("127.0.0.1", 9));
            assertTrue(ctx.server().proxies().get("p").udp());
            return new Measurement(1000, 1_000_000, new LatencySamples(), 1100, "at " + a.getPort());
        }));
        assertEquals(ScenarioResult.Status.PASSED, r.status(), r.reason());
        assertEquals(8.0, r.measurement().goodputMbps(), 1e-9);
        assertEquals(10.0, r.measurement().retransmitOverheadPercent(), 1e-9);
    }
}
