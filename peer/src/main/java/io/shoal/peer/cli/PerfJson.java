package io.shoal.peer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.rudp.perf.PerfParallelReport;
import io.shoal.rudp.perf.PerfReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one-line JSON object {@code shoal perf client --json} ends with; field names are snake_case with units. */
final class PerfJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PerfJson() {
    }

    /**
     * A run as one JSON object: with one connection, that connection's fields; with several, their sums
     * ({@code goodput_mbps}, {@code bytes}, {@code retransmits}) and the process's {@code cpu_ms}. Either way
     * {@code profile}, {@code parallel} and {@code connections} (one object per connection) follow.
     */
    static String toJson(PerfParallelReport run) {
        List<Map<String, Object>> each = new ArrayList<>();
        for (PerfReport r : run.connections()) {
            each.add(fields(r));
        }
        Map<String, Object> m;
        if (each.size() == 1) {
            m = new LinkedHashMap<>(each.get(0));
        } else {
            m = new LinkedHashMap<>();
            m.put("goodput_mbps", round(run.goodputMbps()));
            m.put("bytes", run.bytes());
            m.put("retransmits", run.retransmits());
            m.put("cpu_ms", run.cpuMs());
        }
        PerfReport first = run.connections().get(0);
        m.put("profile", first.settings().profile().cliName());
        m.put("parallel", each.size());
        m.put("connections", each);
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write perf JSON", e);
        }
    }

    private static Map<String, Object> fields(PerfReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goodput_mbps", round(r.goodputMbps()));
        m.put("bytes", r.bytes());
        m.put("seconds", round(r.seconds()));
        m.put("retransmits", r.retransmits());
        m.put("retransmits_timeout", r.timeoutRetransmits());
        m.put("retransmits_fast", r.fastRetransmits());
        m.put("segments_sent", r.segmentsSent());
        m.put("rtt_ms_p50", r.rttMsP50());
        m.put("rtt_ms_p90", r.rttMsP90());
        m.put("rtt_ms_p99", r.rttMsP99());
        m.put("cpu_ms", r.cpuMs());
        m.put("flushes_limited_cwnd", r.sendLimits().cwnd());
        m.put("flushes_limited_window", r.sendLimits().flow());
        m.put("flushes_limited_pacing", r.sendLimits().pacing());
        m.put("flushes_limited_app", r.sendLimits().app());
        m.put("mode", r.settings().mode());
        m.put("cc", r.settings().congestionControl().cliName());
        m.put("mtu", r.settings().mtu());
        m.put("window", r.settings().windowSegments());
        m.put("conv", Integer.toUnsignedLong(r.conv()));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
