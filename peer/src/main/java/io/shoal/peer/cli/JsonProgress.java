package io.shoal.peer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.peer.node.TransferStatus;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --json}: one JSON object per update on stdout, for scripts. Fields: {@code state} (lower case),
 * {@code fraction} (0..1), {@code bytes} (verified), {@code total_bytes}, {@code downloaded_bytes},
 * {@code uploaded_bytes}, {@code down_rate} and {@code up_rate} (bytes/s), {@code peers}, {@code peers_tcp},
 * {@code peers_rudp}, {@code hash_failures}, {@code eta_s} (null when unknown), {@code error} (null unless failed).
 */
final class JsonProgress implements ProgressSink {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;

    JsonProgress(PrintWriter out) {
        this.out = out;
    }

    static Map<String, Object> fields(TransferStatus s, long etaSec) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("state", s.state().name().toLowerCase(Locale.ROOT));
        j.put("fraction", Math.round(s.fraction() * 10_000) / 10_000.0);
        j.put("bytes", s.verifiedBytes());
        j.put("total_bytes", s.totalBytes());
        j.put("downloaded_bytes", s.downloadedBytes());
        j.put("uploaded_bytes", s.uploadedBytes());
        j.put("down_rate", s.downloadRate());
        j.put("up_rate", s.uploadRate());
        j.put("peers", s.peersConnected());
        j.put("peers_tcp", s.peersTcp());
        j.put("peers_rudp", s.peersRudp());
        j.put("hash_failures", s.hashFailures());
        j.put("eta_s", etaSec >= 0 ? etaSec : null);
        j.put("error", s.error());
        return j;
    }

    @Override
    public void update(TransferStatus status, long etaSec) {
        line(fields(status, etaSec));
    }

    /** Prints {@code fields} as one JSON line. */
    void line(Map<String, Object> fields) {
        try {
            out.println(MAPPER.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of numbers and strings always serialises", e);
        }
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
