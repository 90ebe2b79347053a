package io.shoal.rudp.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves that {@link LeakGuard} turns a Netty leak report into a failure, without leaving one behind. */
class LeakGuardTest {
    // A distinct hint per leak: Netty reports identical access records only once per detector.
    private static final AtomicLong NONCE = new AtomicLong();

    @Test
    void shouldGuardByteBufsWhenLoadedByJUnit() {
        assertTrue(LeakGuard.isGuardingByteBufs(), "LeakGuard must own Netty's ByteBuf leak detector");
    }

    @Test
    void shouldFailWithAllocationSiteWhenBufferIsCollectedUnreleased() {
        leakOneBuffer();

        // The same call the guard makes after every class; it consumes the report, so this class stays green.
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
            () -> LeakGuard.assertNoLeaks("shouldFailWithAllocationSiteWhenBufferIsCollectedUnreleased"));

        String message = failure.getMessage();
        assertTrue(message.startsWith("1 Netty resource leak(s)"), message);
        assertTrue(message.contains("LeakGuardTest.leakOneBuffer"), message);
    }

    @Test
    void shouldReportNothingWhenEveryBufferIsReleased() {
        ByteBuf pooled = ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
        ByteBuf heap = Unpooled.buffer(64).writeLong(42);
        pooled.release();
        heap.release();

        List<String> leaks = LeakGuard.collectLeaks();

        assertEquals(List.of(), leaks);
    }

    /** Allocates, touches and drops a buffer; kept apart so no local variable of the caller holds it. */
    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.heapBuffer(32).writeInt(7);
        leaked.touch("deliberate leak #" + NONCE.incrementAndGet());
    }

    /**
     * Leaks without catching it, so the guard fails this class. Off by default; see it work with
     * {@code mvn -B -ntp -pl rudp test -Dtest='LeakGuardTest*' -Dshoal.leakguard.demo=true} (the build must fail).
     */
    @Nested
    @EnabledIfSystemProperty(named = "shoal.leakguard.demo", matches = "true")
    class WhenDemoIsEnabled {
        @Test
        void shouldFailThisClassBecauseItLeaks() {
            leakOneBuffer();
        }
    }
}
