package io.shoal.tracker.client;

import java.net.URI;
import java.util.Locale;

/**
 * Which tracker URLs a client may contact: only {@code http}, {@code https} and {@code udp} with a host (libtorrent's
 * rule after its 2020 audit, against SSRF through {@code file:} and friends), and UDP ones with a port.
 */
public final class TrackerUrls {
    private TrackerUrls() {
    }

    /** The lower-case scheme of an acceptable URL; throws a {@link TrackerException} naming the problem otherwise. */
    public static String check(URI url) throws TrackerException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("udp")) {
            throw new TrackerException("unsupported tracker URL scheme '" + scheme + "' in " + url
                + " (only http, https and udp)");
        }
        if (url.getHost() == null) {
            throw new TrackerException("tracker URL has no host: " + url);
        }
        if (scheme.equals("udp") && url.getPort() < 1) {
            throw new TrackerException("udp tracker URL needs a port: " + url);
        }
        return scheme;
    }
}
