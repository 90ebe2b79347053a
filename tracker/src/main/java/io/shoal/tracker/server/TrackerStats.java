package io.shoal.tracker.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one tracker. Written only by the event loop that owns the registry; {@link TrackerServer#stats()} takes
 * its snapshot on that loop, so plain fields suffice.
 */
public final class TrackerStats {
    long udpConnects;
    long udpAnnounces;
    long udpScrapes;
    long udpIntroductions;
    long udpErrorsSent;
    long udpMalformed;
    long udpBadConnectionId;
    long udpRateLimited;
    long httpAnnounces;
    long httpScrapes;
    long httpFailures;
    long httpBadRequests;
    long notAllowed;

    /** The counters by name, in a stable order, for {@code --json} and logs. */
    Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("udp_connects", udpConnects);
        m.put("udp_announces", udpAnnounces);
        m.put("udp_scrapes", udpScrapes);
        m.put("udp_introductions", udpIntroductions);
        m.put("udp_errors_sent", udpErrorsSent);
        m.put("udp_malformed_dropped", udpMalformed);
        m.put("udp_bad_connection_id_dropped", udpBadConnectionId);
        m.put("udp_rate_limited_dropped", udpRateLimited);
        m.put("http_announces", httpAnnounces);
        m.put("http_scrapes", httpScrapes);
        m.put("http_failures_sent", httpFailures);
        m.put("http_bad_requests", httpBadRequests);
        m.put("not_allowed", notAllowed);
        return m;
    }
}
