package io.shoal.tracker.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A tracker's answer to an announce.
 *
 * @param intervalSec seconds to wait before the next announce
 * @param seeders     complete peers, -1 when the tracker did not say
 * @param leechers    incomplete peers, -1 when the tracker did not say
 * @param peers       the peers returned (IPv4 and IPv6)
 * @param warning     BEP 3 {@code warning message}, or null
 * @param externalIp  our address as the tracker saw it (BEP 24), or null
 */
public record AnnounceResult(int intervalSec, int seeders, int leechers, List<InetSocketAddress> peers,
                             String warning, InetAddress externalIp) {
    public AnnounceResult {
        peers = List.copyOf(peers);
    }
}
