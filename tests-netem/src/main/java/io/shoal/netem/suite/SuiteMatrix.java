package io.shoal.netem.suite;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which scenarios a suite size runs: every {@link LinkProfile} for {@link SuiteSize#FULL}, the CI handful for
 * {@link SuiteSize#SHORT}, each crossed with every workload. New workloads (peer file transfer, DHT lookup) are added
 * to {@link #workloads()}.
 */
public final class SuiteMatrix {
    /** One cell of the matrix. */
    public record Scenario(LinkProfile profile, Workload workload) {
        @Override
        public String toString() {
            return workload.id() + " @ " + profile.label();
        }
    }

    private static final Set<LinkProfile> SHORT_PROFILES = EnumSet.of(LinkProfile.CLEAN, LinkProfile.LOSS_5,
        LinkProfile.BURSTY_5, LinkProfile.JITTER, LinkProfile.DUPLICATE_5, LinkProfile.BLACKOUT_3S,
        LinkProfile.REBIND, LinkProfile.RATE_10M);

    private SuiteMatrix() {
    }

    /** The workloads of the matrix, in report order. */
    public static List<Workload> workloads() {
        return List.of(new RudpBulkWorkload(), new RudpInteractiveWorkload(), new SecureBulkWorkload(),
            new SecureInteractiveWorkload(), new TrackerAnnounceWorkload(), new PeerTransferWorkload());
    }

    /** The profiles {@code size} runs, in declaration order. */
    public static List<LinkProfile> profiles(SuiteSize size) {
        return size == SuiteSize.FULL ? List.of(LinkProfile.values()) : List.copyOf(SHORT_PROFILES);
    }

    /**
     * Other stacks run through the same proxies for the report's side-by-side columns (skipped where not installed).
     * Not part of the JUnit suite: their integrity is not shoal's to assert.
     */
    public static List<Workload> comparisons() {
        return List.of(new KcptunBulkWorkload(), new QuicBulkWorkload());
    }

    /** Profile-major: every workload under one profile, then the next profile. */
    public static List<Scenario> scenarios(SuiteSize size) {
        return scenarios(size, workloads());
    }

    /** {@link #scenarios(SuiteSize)} over the given workloads. */
    public static List<Scenario> scenarios(SuiteSize size, List<Workload> workloads) {
        List<Scenario> all = new ArrayList<>();
        for (LinkProfile p : profiles(size)) {
            for (Workload w : workloads) {
                all.add(new Scenario(p, w));
            }
        }
        return all;
    }
}
