package io.shoal.rudp.netty;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector off for a production process (the {@code shoal} command, the standalone netem proxy, the
 * accuracy probe) unless {@code -Dio.netty.leakDetection.level} asks for a level. At its default level it samples one
 * buffer in 128 and records a stack trace at every touch of a sampled one: measured with async-profiler on the secure
 * bulk sender's event loop, 3% of that thread's CPU went to filling those stack traces, and at 100k datagrams/s
 * through the netem proxy they were most of its garbage. The test suites keep their paranoid level: they never call
 * this, and a leak fails them.
 */
public final class LeakDetectionDefault {
    private LeakDetectionDefault() {
    }

    /** Turns the detector off unless the system property sets a level. Call once, early in {@code main}. */
    public static void offUnlessConfigured() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
