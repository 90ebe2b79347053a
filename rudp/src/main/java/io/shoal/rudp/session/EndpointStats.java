package io.shoal.rudp.session;

import java.util.Map;

/**
 * Snapshot of one socket's counters.
 *
 * @param datagramsIn datagrams given to {@link SecureEndpoint#handleDatagram}
 * @param datagramsOut datagrams returned by {@link SecureEndpoint#pollTransmit} or handed out by
 *     {@link SecureEndpoint#drainTransmits}
 * @param bytesIn bytes in those datagrams
 * @param bytesOut bytes out
 * @param handshakesCompleted connections established (both directions)
 * @param cookiesSent cookie replies sent instead of handshake state
 * @param foreignDatagrams DHT, STUN and tracker datagrams handed out as events
 * @param connections connections held now (including closed ones still lingering)
 * @param halfOpen half-open server-side handshakes held now
 * @param drops datagrams dropped, by reason (every reason present, zero or more)
 */
public record EndpointStats(long datagramsIn, long datagramsOut, long bytesIn, long bytesOut,
                            long handshakesCompleted, long cookiesSent, long foreignDatagrams, int connections,
                            int halfOpen, Map<DropReason, Long> drops) {
    /** @return the drops for one reason */
    public long drops(final DropReason reason) {
        return drops.get(reason);
    }

    /** @return all drops */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
