package io.shoal.netem;

import java.util.Locale;

/**
 * The direction a toxic applies to, as Toxiproxy names it: {@code upstream} is client to server (towards the proxy's
 * upstream address), {@code downstream} server to client.
 */
public enum ToxicStream {
    UPSTREAM,
    DOWNSTREAM;

    /** The lower-case name used in the JSON API. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a JSON name case-insensitively, as Toxiproxy does; null when it is neither direction. */
    static ToxicStream parse(String name) {
        if ("upstream".equalsIgnoreCase(name)) {
            return UPSTREAM;
        }
        if ("downstream".equalsIgnoreCase(name)) {
            return DOWNSTREAM;
        }
        return null;
    }
}
