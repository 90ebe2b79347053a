package io.shoal.rudp.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * Fails a test class when Netty reports a {@code ByteBuf} (or other tracked resource) leak while it runs (STYLE.md
 * 5.5: "a leak report fails the build").
 *
 * <p>Registered for every test of every module that has rudp's test-jar on its test class path, through JUnit's
 * extension auto-detection ({@code junit-platform.properties} and {@code META-INF/services} in that jar). Loading the
 * class installs {@link LeakReports} as Netty's leak-detector factory and, unless {@code io.netty.leakDetection.level}
 * is set, raises the level to {@code PARANOID} (surefire already sets it). After each test class, {@link #collectLeaks}
 * forces garbage collection and an allocation so that Netty reports what died unreleased; any report fails the class
 * with the allocation and access records.
 *
 * <p>Tests may call {@link #collectLeaks()} or {@link #assertNoLeaks(String)} themselves to check a narrower scope.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
    private static final LeakReports REPORTS = new LeakReports();
    private static final String INSTALL_PROBLEM = install();
    /** Upper bound on each wait for the JVM to clear and enqueue a weak reference after {@code System.gc()}. */
    private static final long GC_WAIT_MS = 2_000;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public LeakGuard() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (INSTALL_PROBLEM != null) {
            throw new IllegalStateException(INSTALL_PROBLEM);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeaks(context.getDisplayName());
    }

    /**
     * Surfaces and returns every leak reported since the previous call (and clears them). Forces two garbage
     * collections, each awaited through a canary weak reference, then allocates one buffer so that Netty's
     * {@code ByteBuf} detector drains its reference queue and reports.
     */
    public static List<String> collectLeaks() {
        awaitCollection();
        // The canary of the second collection is enqueued only after the reference handler finished the batch
        // of the first one, so every buffer that was unreachable before this call is now in Netty's queue.
        awaitCollection();
        ByteBuf poke = ByteBufAllocator.DEFAULT.buffer(1);
        poke.release();
        Unpooled.buffer(1).release();
        return REPORTS.drain();
    }

    /** Fails with every report {@link #collectLeaks()} returns, naming {@code scope} (a class or test name). */
    public static void assertNoLeaks(String scope) {
        List<String> leaks = collectLeaks();
        if (leaks.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder()
            .append(leaks.size()).append(" Netty resource leak(s) reported while running ").append(scope)
            .append(" (LeakGuard; release every ByteBuf you own, STYLE.md 5.5):");
        for (String leak : leaks) {
            message.append("\n\n").append(leak);
        }
        throw new AssertionFailedError(message.toString());
    }

    /** True when Netty's {@code ByteBuf} detector is one of ours, i.e. leaks of buffers are caught. */
    public static boolean isGuardingByteBufs() {
        return INSTALL_PROBLEM == null;
    }

    /** Installs the factory; returns why it could not guard buffers, or null when it can. */
    private static String install() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(REPORTS);
        // Initialises AbstractByteBuf (whose static detector comes from the factory) if nothing did yet.
        Unpooled.buffer(1).release();
        if (!REPORTS.coversType(ByteBuf.class)) {
            return "LeakGuard was installed after Netty created its ByteBuf leak detector, so leaks would go"
                + " unnoticed: something allocated a ByteBuf before JUnit loaded its extensions";
        }
        return null;
    }

    /** Runs {@code System.gc()} until a fresh unreachable object's weak reference is enqueued, or a deadline. */
    private static void awaitCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), queue);
        long deadlineMs = System.currentTimeMillis() + GC_WAIT_MS;
        try {
            while (System.currentTimeMillis() < deadlineMs) {
                System.gc();
                if (queue.remove(50) != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Explicit GC may be disabled (-XX:+DisableExplicitGC): leaks then surface in a later class, if at all.
        System.err.println("LeakGuard: no garbage collection observed within " + GC_WAIT_MS + " ms"
            + (canary.get() == null ? "" : " (canary still reachable)"));
    }
}
