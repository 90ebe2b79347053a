package io.shoal.rudp.perf;

import java.util.List;
import java.util.Locale;

/**
 * What a run over several connections at once measured: each connection's {@link PerfReport}, and their sum.
 *
 * @param connections one report per connection, in the order they were opened
 * @param cpuMs CPU time this process used during the run (every thread, all connections)
 */
public record PerfParallelReport(List<PerfReport> connections, long cpuMs) {
    public PerfParallelReport {
        connections = List.copyOf(connections);
    }

    /** Sum of the connections' goodputs, in Mbit/s. */
    public double goodputMbps() {
        return connections.stream().mapToDouble(PerfReport::goodputMbps).sum();
    }

    /** Payload bytes the server received over all connections. */
    public long bytes() {
        return connections.stream().mapToLong(PerfReport::bytes).sum();
    }

    /** Retransmissions over all connections. */
    public long retransmits() {
        return connections.stream().mapToLong(PerfReport::retransmits).sum();
    }

    /** One human line for the sum, as the client prints at the end of a parallel run. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "%.2f Mbit/s goodput over %d connections: %s, retransmits %d, cpu %d ms",
            goodputMbps(), connections.size(), Units.bytes(bytes()), retransmits(), cpuMs);
    }
}
