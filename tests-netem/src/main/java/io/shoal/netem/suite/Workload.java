package io.shoal.netem.suite;

/**
 * One kind of traffic the suite pushes through impaired proxies. An implementation creates its endpoints, asks
 * {@link ScenarioContext} for proxies in front of them (the context adds the profile's toxics), runs to completion
 * and checks integrity itself: what arrived must equal what was sent, nothing lost, nothing duplicated.
 *
 * <p>Extension point: further traffic (the peer-to-peer file transfer, DHT lookups) joins the matrix as an
 * implementation listed in {@link SuiteMatrix}, as the secure RUDP workloads did; nothing else changes.
 */
public interface Workload {
    /** A short id for reports and file names ("rudp-bulk"). */
    String id();

    /**
     * Why this workload cannot run under {@code profile}, or null when it can. The runner records such a scenario
     * as skipped with this reason (JUnit reports it as an aborted assumption), never as passed.
     */
    default String unsupportedReason(LinkProfile profile) {
        return null;
    }

    /**
     * Runs once. Returns the measurement when the traffic completed; throws when it did not complete or arrived
     * damaged ({@link IntegrityException}), with a message that says what differed. Must release every socket and
     * thread it made before returning, also when interrupted at the scenario's time limit.
     */
    Measurement run(ScenarioContext context) throws Exception;
}
