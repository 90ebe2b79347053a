package io.shoal.netem;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition with a deadline (no bare sleeps): yields the CPU between checks. */
final class Await {
    private Await() {
    }

    static void until(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeoutMs + " ms waiting for " + what + " (seed " + ApiServer.SEED + ")");
            }
            Thread.yield();
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L); // poll interval, not a wait for the network
        }
    }
}
