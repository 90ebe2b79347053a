package io.shoal.rudp.netty;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineQueueTest {
    private static final long SEED = Long.getLong("shoal.seed", 7L);

    private static final class Timer extends DeadlineQueue.Entry {
    }

    private static Timer entry() {
        return new Timer();
    }

    @Test
    void shouldReturnEarliestWhenDeadlinesAreRescheduledAndRemoved() {
        SplittableRandom random = new SplittableRandom(SEED);
        DeadlineQueue<Timer> queue = new DeadlineQueue<>();
        List<Timer> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Timer c = entry();
            all.add(c);
            queue.schedule(c, random.nextLong(1_000_000));
        }
        for (int i = 0; i < 500; i++) {
            Timer c = all.get(random.nextInt(all.size()));
            if (random.nextInt(4) == 0) {
                queue.remove(c);
            } else {
                queue.schedule(c, random.nextLong(1_000_000));
            }
        }
        long last = Long.MIN_VALUE;
        int popped = 0;
        int queued = (int) all.stream().filter(c -> c.heapIndex >= 0).count();
        assertEquals(queued, queue.size(), "seed " + SEED);
        while (!queue.isEmpty()) {
            Timer c = queue.peek();
            assertTrue(c.queuedDeadlineNs >= last, "heap order broken, seed " + SEED);
            last = c.queuedDeadlineNs;
            queue.remove(c);
            assertEquals(-1, c.heapIndex);
            popped++;
        }
        assertEquals(queued, popped, "seed " + SEED);
        assertNull(queue.peek());
    }

    @Test
    void shouldOrderByWrappingDifferenceWhenNanoTimeWraps() {
        DeadlineQueue<Timer> queue = new DeadlineQueue<>();
        Timer late = entry();
        Timer early = entry();
        queue.schedule(late, Long.MIN_VALUE + 10); // just past the wrap
        queue.schedule(early, Long.MAX_VALUE - 10);
        assertSame(early, queue.peek());
    }

    @Test
    void shouldIgnoreRemoveWhenNotQueued() {
        DeadlineQueue<Timer> queue = new DeadlineQueue<>();
        Timer c = entry();
        queue.remove(c);
        assertEquals(0, queue.size());
    }

    @Test
    void shouldPopInTrueDeadlineOrderWhenDeadlinesArePostponedLazily() {
        SplittableRandom random = new SplittableRandom(SEED);
        DeadlineQueue<Timer> queue = new DeadlineQueue<>();
        List<Timer> all = new ArrayList<>();
        java.util.Map<Timer, Long> truth = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            Timer c = entry();
            all.add(c);
            long d = random.nextLong(1_000_000);
            queue.schedule(c, d);
            truth.put(c, d);
        }
        for (int i = 0; i < 3_000; i++) {
            Timer c = all.get(random.nextInt(all.size()));
            long d = truth.get(c) + random.nextLong(-50_000, 200_000); // mostly later, sometimes earlier
            queue.postpone(c, d);
            truth.put(c, d);
        }
        long last = Long.MIN_VALUE;
        int popped = 0;
        while (!queue.isEmpty()) {
            Timer c = queue.peek();
            long d = truth.get(c);
            assertEquals(d, c.queuedDeadlineNs, "peek must return an exact deadline, seed " + SEED);
            assertTrue(d >= last, "true-deadline order broken, seed " + SEED);
            for (Timer other : all) {
                if (other.heapIndex >= 0) {
                    assertTrue(truth.get(other) >= d, "an earlier deadline is hidden, seed " + SEED);
                }
            }
            last = d;
            queue.remove(c);
            popped++;
        }
        assertEquals(all.size(), popped, "seed " + SEED);
    }

    @Test
    void shouldMoveEarlierAtOnceWhenPostponeGetsAnEarlierDeadline() {
        DeadlineQueue<Timer> queue = new DeadlineQueue<>();
        Timer a = entry();
        Timer b = entry();
        queue.schedule(a, 100);
        queue.schedule(b, 200);
        queue.postpone(a, 500); // later: lazily remembered
        queue.postpone(b, 50); // earlier: moved now
        assertSame(b, queue.peek());
        assertEquals(50, b.queuedDeadlineNs);
        queue.remove(b);
        assertSame(a, queue.peek());
        assertEquals(500, a.queuedDeadlineNs, "a postponed entry reaching the top moves to its true deadline");
    }
}
