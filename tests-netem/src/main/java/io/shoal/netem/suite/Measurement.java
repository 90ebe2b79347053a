package io.shoal.netem.suite;

/**
 * What one completed workload run measured. Latencies are in milliseconds: one-way message latency for interactive
 * traffic, request round trips for tracker announces, sampled smoothed RTT for bulk streams.
 *
 * @param payloadBytes      application bytes delivered and verified
 * @param elapsedNs         from the first byte sent to the last byte verified
 * @param latency           the latency samples
 * @param wireBytes         payload bytes the sender put on the wire, retransmissions and probes included; 0 when the
 *                          workload cannot see them (then the overhead is unknown)
 * @param detail            one line for the report (counters worth reading)
 */
public record Measurement(long payloadBytes, long elapsedNs, LatencySamples latency, long wireBytes, String detail) {
    /** Application goodput in Mbit/s (10^6 bits). */
    public double goodputMbps() {
        return elapsedNs <= 0 ? 0 : payloadBytes * 8e3 / elapsedNs;
    }

    /** Bytes resent per byte delivered, in percent; NaN when unknown. */
    public double retransmitOverheadPercent() {
        return wireBytes <= 0 || payloadBytes <= 0 ? Double.NaN : (wireBytes - payloadBytes) * 100.0 / payloadBytes;
    }
}
