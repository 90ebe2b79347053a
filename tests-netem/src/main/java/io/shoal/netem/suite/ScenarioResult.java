package io.shoal.netem.suite;

/**
 * The outcome of one scenario (profile x workload).
 *
 * @param profile     the link profile
 * @param workload    the workload's id
 * @param status      passed, failed or skipped
 * @param reason      why it failed or was skipped (empty when passed)
 * @param measurement what it measured when passed, else null
 * @param cpuSeconds  CPU time of this whole process (proxy, both ends, JIT, GC) during the scenario
 * @param wallSeconds wall-clock time of the scenario, set-up included
 */
public record ScenarioResult(LinkProfile profile, String workload, Status status, String reason,
                             Measurement measurement, double cpuSeconds, double wallSeconds) {
    /** Passed means completed with integrity; failed means it did not complete or arrived damaged. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /** "rudp-bulk @ loss 5%". */
    public String name() {
        return workload + " @ " + profile.label();
    }
}
