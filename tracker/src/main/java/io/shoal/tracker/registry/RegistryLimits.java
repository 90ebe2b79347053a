package io.shoal.tracker.registry;

/**
 * Bounds and timings of a {@link SwarmRegistry}.
 *
 * @param maxTorrents        swarms kept at most; the least recently announced (sampled) is evicted for a new one
 * @param maxPeers           peers kept at most over all swarms; past it a new peer evicts an old one of its swarm
 * @param maxPeersPerSwarm   peers kept at most in one swarm; the same eviction applies
 * @param peerTimeoutSec     a peer not heard from for this long is dropped
 * @param torrentTimeoutSec  an empty swarm is forgotten (with its completed count) after this long
 * @param defaultNumwant     peers returned when the client does not say
 * @param maxNumwant         peers returned at most
 */
public record RegistryLimits(int maxTorrents, long maxPeers, int maxPeersPerSwarm, int peerTimeoutSec,
                             int torrentTimeoutSec, int defaultNumwant, int maxNumwant) {
    /** Defaults sized for a few million peers: chihaya's numwant (50/100), peers live 2 intervals plus slack. */
    public static RegistryLimits defaults(int intervalSec) {
        return new RegistryLimits(1_000_000, 8_000_000L, 1_000_000, intervalSec * 2 + 60, 86_400, 50, 100);
    }

    public RegistryLimits {
        if (maxTorrents < 1 || maxPeers < 1 || maxPeersPerSwarm < 1 || peerTimeoutSec < 1 || torrentTimeoutSec < 1
            || defaultNumwant < 0 || maxNumwant < defaultNumwant) {
            throw new IllegalArgumentException("bad registry limits: " + this);
        }
    }
}
