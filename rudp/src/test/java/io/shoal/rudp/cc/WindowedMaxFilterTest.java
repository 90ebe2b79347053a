package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link WindowedMaxFilter} against a brute-force maximum over the same window. */
class WindowedMaxFilterTest {

    @Test
    void shouldKeepTheMaximumForTheWholeWindowThenForgetIt() {
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        filter.update(0, 100);
        for (long t = 1; t <= 10; t++) {
            assertEquals(100, filter.update(t, 50));
        }
        assertEquals(50, filter.update(11, 50), "the 100 sample is older than the window");
    }

    @Test
    void shouldTakeANewMaximumAtOnce() {
        WindowedMaxFilter filter = new WindowedMaxFilter(10);
        filter.update(0, 100);
        assertEquals(300, filter.update(1, 300));
        assertEquals(300, filter.best());
    }

    @Test
    void shouldOnlyReturnRecentSamplesAndNeverLessThanTheNewest() {
        long seed = 42;
        Random random = new Random(seed);
        int window = 10;
        int steps = 2000;
        long[] values = new long[steps];
        WindowedMaxFilter filter = new WindowedMaxFilter(window);
        for (int t = 0; t < steps; t++) {
            values[t] = 1000 + random.nextInt(1000) + (t / 200 % 2 == 0 ? 0 : 5000);
            long best = filter.update(t, values[t]);
            long widerMax = 0;
            for (int s = Math.max(0, t - 2 * window); s <= t; s++) {
                widerMax = Math.max(widerMax, values[s]);
            }
            assertTrue(best <= widerMax, "seed " + seed + " t " + t + ": " + best + " > " + widerMax);
            assertTrue(best >= values[t], "seed " + seed + " t " + t);
        }
    }
}
