package io.shoal.netem;

import io.netty.util.ResourceLeakDetector;

/**
 * Process-wide settings for a latency-sensitive netem process (the standalone proxy, the accuracy probe): Netty's
 * leak detector off unless {@code -Dio.netty.leakDetection.level} asks for it. At its default level it samples one
 * buffer in 128 and records a stack trace at every touch of a sampled one, which at 100k datagrams per second is
 * most of the garbage the process makes (and so most of its young collections). Tests keep their paranoid level:
 * they never call this.
 */
final class LatencyDefaults {
    private LatencyDefaults() {
    }

    static void apply() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
