package io.shoal.rudp.kcp.sim;

import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: over any link the generator makes, with any preset and controller, in stream and message mode, every byte
 * arrives exactly once and in order (stream) or every message arrives whole and in order (message), and nothing leaks.
 * Scenario i runs with {@code SimSeeds.mix(BASE, i)}; {@code -Dshoal.sim.seed=…} replays just that one, and
 * {@code -Dshoal.soak=true} runs ten times as many.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
final class KcpSimPropertyTest {
    private static final long BASE = 0x5140A1_2026L;
    private static final int SCENARIOS = 1500;
    private static final long BUDGET_NS = 3_600_000_000_000L; // normal mode doubles a segment's RTO per loss, unbounded, as ikcp.c does

    static int scenarioCount() {
        return Boolean.getBoolean("shoal.soak") ? SCENARIOS * 10 : SCENARIOS;
    }

    @Test
    void shouldDeliverEverythingExactlyOnceInOrderWhenLinkIsImpaired() {
        runAll("shouldDeliverEverythingExactlyOnceInOrderWhenLinkIsImpaired", LinkConfig.Corruption.DROP_AS_CHECKSUM,
            true, scenarioCount(), BUDGET_NS);
    }

    @Test
    void shouldNeitherThrowNorLeakWhenCorruptedBytesAreDelivered() {
        // Raw KCP has no checksum, so integrity cannot be asserted here; only robustness of the decoder and engine.
        runAll("shouldNeitherThrowNorLeakWhenCorruptedBytesAreDelivered", LinkConfig.Corruption.DELIVER, false,
            scenarioCount() / 5, 20_000_000_000L);
    }

    static void runAll(final String method, final LinkConfig.Corruption corruption, final boolean checkIntegrity,
                       final int count, final long budgetNs) {
        final boolean forced = SimSeeds.isForced();
        final int n = forced ? 1 : count;
        long virtualNs = 0;
        long steps = 0;
        for (int i = 0; i < n; i++) {
            final long seed = forced ? SimSeeds.resolve(0) : SimSeeds.mix(BASE + method.hashCode(), i);
            KcpScenario scenario = null;
            try {
                scenario = KcpScenarios.random(seed, corruption);
                final KcpScenarioRunner.Outcome outcome = KcpScenarioRunner.run(scenario, checkIntegrity, budgetNs);
                virtualNs += outcome.virtualNs();
                steps += outcome.steps();
                if (!outcome.ok()) {
                    fail("scenario #" + i + " failed: " + outcome.failure() + "\n" + scenario + outcome.detail()
                        + "\n" + SimSeeds.failureLine(KcpSimPropertyTest.class, method, seed));
                }
            } catch (final RuntimeException | Error e) {
                if (e instanceof AssertionError) {
                    throw e;
                }
                throw new AssertionError("scenario #" + i + " threw " + e + "\n" + scenario + "\n"
                    + SimSeeds.failureLine(KcpSimPropertyTest.class, method, seed), e);
            }
        }
        System.out.printf("[sim] %s: %d scenarios, %.1f s virtual, %d steps, controllers %s%n", method, n,
            virtualNs / 1e9, steps, KcpScenarios.availableControllers());
        assertTrue(n > 0);
    }
}
