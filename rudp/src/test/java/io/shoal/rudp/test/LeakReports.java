package io.shoal.rudp.test;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link ResourceLeakDetectorFactory} whose detectors remember every leak they report, so that {@link LeakGuard}
 * can turn Netty's log line into a test failure. Netty still logs each leak as usual.
 *
 * <p>Thread-safe: detectors report from whichever thread allocates. Netty asks the factory once per resource type,
 * when the type's detector is created (for {@code ByteBuf}: when {@code AbstractByteBuf} is initialised), so the
 * factory must be installed before the first buffer exists; {@link #coversType} says whether it was.
 */
final class LeakReports extends ResourceLeakDetectorFactory {
    private final ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
    private final Set<String> coveredTypes = ConcurrentHashMap.newKeySet();

    /** Reports collected since the last call, oldest first; the list is cleared. */
    List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String report = reports.poll(); report != null; report = reports.poll()) {
            out.add(report);
        }
        return out;
    }

    /** True when Netty created the detector for {@code type} through this factory. */
    boolean coversType(Class<?> type) {
        return coveredTypes.contains(type.getName());
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        coveredTypes.add(resource.getName());
        return new CollectingDetector<>(resource, samplingInterval, reports);
    }

    // Netty 4.2 still declares this deprecated variant abstract; maxActive has been ignored since 4.1.
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                               long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    /** Netty's detector, plus a copy of each report into the shared queue. */
    private static final class CollectingDetector<T> extends ResourceLeakDetector<T> {
        private final ConcurrentLinkedQueue<String> sink;

        CollectingDetector(Class<?> resource, int samplingInterval, ConcurrentLinkedQueue<String> sink) {
            super(resource, samplingInterval);
            this.sink = sink;
        }

        // The default answers "is the error log enabled"; a leak must fail the build even with logging off.
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            sink.add(resourceType + ".release() was not called before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            sink.add(resourceType + ".release() was not called before it was garbage-collected"
                + " (no access records: run with -Dio.netty.leakDetection.level=paranoid to see where).");
        }
    }
}
