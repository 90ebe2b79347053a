package io.shoal.rudp.sim;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension in the spirit of Aeron's {@code RandomWatcher}: gives each test a seed ({@value SimSeeds#PROPERTY}
 * if set, else a fixed value derived from the test's name, so runs are deterministic) and, when the test fails, prints
 * the seed and the command that replays it. Register with
 * {@code @RegisterExtension final SeedWatcher seeds = new SeedWatcher();} and read {@link #seed()} in the test.
 */
public final class SeedWatcher implements BeforeEachCallback, TestExecutionExceptionHandler {
    private long seed;

    /** The seed of the running test. */
    public long seed() {
        return seed;
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        final String name = context.getRequiredTestClass().getName() + '#' + context.getDisplayName();
        seed = SimSeeds.resolve(SimSeeds.mix(name.hashCode(), 0));
    }

    @Override
    public void handleTestExecutionException(final ExtensionContext context, final Throwable failure)
        throws Throwable {
        System.err.println("[sim] " + context.getDisplayName() + " failed with "
            + SimSeeds.failureLine(context.getRequiredTestClass(), context.getRequiredTestMethod().getName(), seed));
        throw failure;
    }
}
