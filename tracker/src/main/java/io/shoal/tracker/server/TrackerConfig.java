package io.shoal.tracker.server;

import io.shoal.tracker.registry.RegistryLimits;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * How a {@link TrackerServer} runs.
 *
 * @param host              address to bind (the wildcard address serves IPv4 and IPv6 where the OS allows)
 * @param port              TCP (HTTP) and UDP port number, the same for both; 0 picks a free one
 * @param intervalSec       announce interval sent to clients; {@code min interval} is half of it
 * @param allowList         info hashes (20 bytes each) that may be tracked, or null for any
 * @param limits            registry caps and timeouts
 * @param perIpRatePerSec   UDP datagrams per second accepted from one address; 0 means no limit
 * @param introduceRatePerSec rendezvous introductions per second allowed from one address
 * @param maxHttpConnections open HTTP connections at most; more are closed at once
 * @param preferEpoll       use the native epoll transport (recvmmsg/sendmmsg) when it loads
 */
public record TrackerConfig(InetAddress host, int port, int intervalSec, Collection<byte[]> allowList,
                            RegistryLimits limits, int perIpRatePerSec, int introduceRatePerSec,
                            int maxHttpConnections, boolean preferEpoll) {
    /** Defaults: opentracker's 30-minute interval, 20,000 datagrams/s per address, 4 introductions/s. */
    public static TrackerConfig defaults(InetAddress host, int port) {
        int interval = 1800;
        return new TrackerConfig(host, port, interval, null, RegistryLimits.defaults(interval), 20_000, 4, 10_000,
            true);
    }

    public TrackerConfig {
        if (port < 0 || port > 65535 || intervalSec < 1 || perIpRatePerSec < 0 || introduceRatePerSec < 1
            || maxHttpConnections < 1) {
            throw new IllegalArgumentException("bad tracker config");
        }
        allowList = allowList == null ? null : List.copyOf(allowList);
    }

    public TrackerConfig withInterval(int seconds) {
        return new TrackerConfig(host, port, seconds, allowList, RegistryLimits.defaults(seconds), perIpRatePerSec,
            introduceRatePerSec, maxHttpConnections, preferEpoll);
    }

    public TrackerConfig withAllowList(Collection<byte[]> hashes) {
        return new TrackerConfig(host, port, intervalSec, hashes, limits, perIpRatePerSec, introduceRatePerSec,
            maxHttpConnections, preferEpoll);
    }

    public TrackerConfig withLimits(RegistryLimits newLimits) {
        return new TrackerConfig(host, port, intervalSec, allowList, newLimits, perIpRatePerSec, introduceRatePerSec,
            maxHttpConnections, preferEpoll);
    }

    public TrackerConfig withPerIpRate(int perSec) {
        return new TrackerConfig(host, port, intervalSec, allowList, limits, perSec, introduceRatePerSec,
            maxHttpConnections, preferEpoll);
    }
}
