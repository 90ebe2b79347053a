package io.shoal.netem.suite;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The lossy-network suite: every scenario of the matrix ({@code -Dshoal.netem.suite=short}, the default, or
 * {@code full}) must complete with its integrity checks passing. Speeds go to the report
 * ({@code ./shoal netem report}), never into assertions. Seed: {@code -Dshoal.seed=N}. To run some workloads only:
 * {@code -Dshoal.netem.workloads=secure} (workload ids starting with that prefix).
 */
class NetemSuiteTest {
    private static final SuiteSize SIZE = SuiteSize.parse(System.getProperty("shoal.netem.suite", "short"));
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final String ONLY = System.getProperty("shoal.netem.workloads", "");

    @TestFactory
    Stream<DynamicTest> shouldCompleteIntactUnderEveryLinkProfile() {
        ScenarioRunner runner = new ScenarioRunner(SIZE, SEED);
        return SuiteMatrix.scenarios(SIZE).stream().filter(s -> s.workload().id().startsWith(ONLY))
            .map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
                ScenarioResult r = runner.run(s);
                Assumptions.assumeFalse(r.status() == ScenarioResult.Status.SKIPPED, r.reason());
                assertEquals(ScenarioResult.Status.PASSED, r.status(), s + ": " + r.reason());
                assertNotNull(r.measurement(), s + " measured nothing");
            }));
    }
}
