package io.shoal.rudp.perf;

/**
 * What one perf run measured. Goodput counts only bytes the server's application received, over the server's
 * receive time (first to last DATA byte).
 *
 * @param bytes payload bytes the server received
 * @param seconds the server's receive time in seconds
 * @param goodputMbps {@code bytes * 8 / seconds / 10^6}
 * @param timeoutRetransmits the client's segments resent after an RTO
 * @param fastRetransmits the client's segments resent on duplicate ACKs
 * @param rttMsP50 median of the client's smoothed RTT, sampled every 10 ms; -1 without samples
 * @param rttMsP90 90th percentile of the same samples
 * @param rttMsP99 99th percentile of the same samples
 * @param cpuMs CPU time this process used during the run (every thread)
 * @param segmentsSent data segments the client sent, retransmissions included
 * @param sendLimits what stopped the client's sender, flush by flush, over the whole connection (warm-up included)
 * @param settings the engine settings of the client
 * @param conv the conversation id used
 */
public record PerfReport(
    long bytes,
    double seconds,
    double goodputMbps,
    long timeoutRetransmits,
    long fastRetransmits,
    int rttMsP50,
    int rttMsP90,
    int rttMsP99,
    long cpuMs,
    long segmentsSent,
    SendLimits sendLimits,
    PerfSettings settings,
    int conv) {

    /** Timeout plus fast retransmissions. */
    public long retransmits() {
        return timeoutRetransmits + fastRetransmits;
    }

    /** One human line, as the client prints at the end. */
    public String summaryLine() {
        return String.format(java.util.Locale.ROOT,
            "%.2f Mbit/s goodput: %s in %.2f s, retransmits %d (timeout %d, fast %d) of %d segments, "
                + "rtt p50/p90/p99 %d/%d/%d ms, cpu %d ms, %s",
            goodputMbps, Units.bytes(bytes), seconds, retransmits(), timeoutRetransmits, fastRetransmits,
            segmentsSent, rttMsP50, rttMsP90, rttMsP99, cpuMs, sendLimits.describe());
    }
}
