package io.shoal.netem;

import io.shoal.rudp.impair.LinkStats;

/**
 * Counters of one proxy since its transport started.
 *
 * @param upstream datagram fates client to server, summed over the chain's link models (UDP; zeros for TCP)
 * @param downstream the same server to client
 * @param sessions UDP sessions (client addresses) or TCP connections accepted
 * @param rebinds upstream sockets replaced by {@code rebind} or {@code reset_peer} (UDP)
 * @param droppedOverflow datagrams dropped because the delay line, the session table or a socket buffer was full
 *     (UDP); connections refused beyond the connection limit (TCP)
 */
public record ProxyStats(LinkStats upstream, LinkStats downstream, long sessions, long rebinds,
                         long droppedOverflow) {
    static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
