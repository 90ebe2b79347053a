package io.shoal.tracker.registry;

import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;

import java.util.Collection;
import java.util.SplittableRandom;

/**
 * The in-memory swarm registry: info hash to peers, with expiry, caps and an optional allow-list. Sans-IO: the
 * current time (whole seconds, from 1 upward, on any monotonic origin) is an argument of every call, and randomness
 * comes from a seeded generator. Single-threaded: the server confines it to one event loop.
 *
 * <p>Memory: one {@link PeerTable} slot per peer (12 bytes for IPv4 at a load factor between 3/8 and 3/4), plus about
 * 150 bytes per swarm. Peers are identified by address and announced port, as opentracker does.
 */
public final class SwarmRegistry {
    /** Announce outcome: stored (or removed on {@code stopped}) and answered. */
    public static final int OK = 0;
    /** Announce or scrape of an info hash outside the allow-list. */
    public static final int NOT_ALLOWED = 1;

    private static final int EVICTION_SAMPLES = 8;

    private final RegistryLimits limits;
    private final InfoHashMap<Swarm> swarms = new InfoHashMap<>(1024);
    private final InfoHashMap<Boolean> allowList;
    private final SplittableRandom random;
    private final int[] removed = new int[2];
    private long peers;
    private int sweepCursor;
    private long peersEvicted;
    private long torrentsEvicted;
    private long peersExpired;

    /**
     * @param allowed info hashes (20 bytes each) that may be tracked, or null to track any
     * @param seed    seed of the peer selection and eviction sampling
     */
    public SwarmRegistry(RegistryLimits limits, Collection<byte[]> allowed, long seed) {
        this.limits = limits;
        this.random = new SplittableRandom(seed);
        if (allowed == null) {
            allowList = null;
        } else {
            allowList = new InfoHashMap<>(allowed.size() * 2);
            for (byte[] h : allowed) {
                allowList.put(h, Boolean.TRUE);
            }
        }
    }

    public RegistryLimits limits() {
        return limits;
    }

    /**
     * Records {@code r} (or removes the peer on {@code stopped}) and offers peers of the swarm to {@code sink}: IPv4
     * ones when {@code wantV4}, IPv6 ones when {@code wantV6}, at most {@code numwant} (defaulted and capped by the
     * limits) in total, never the asker itself and, when the asker is a seeder, only leechers.
     *
     * @return {@link #OK} or {@link #NOT_ALLOWED}
     */
    public int announce(AnnounceRequest r, int nowSec, boolean wantV4, boolean wantV6, PeerSink sink,
                        AnnounceReply reply) {
        reply.peersOffered = 0;
        if (allowList != null && allowList.get(r.infoHash) == null) {
            return NOT_ALLOWED;
        }
        Swarm swarm = swarms.get(r.infoHash);
        boolean stopping = r.event == AnnounceEvent.STOPPED;
        if (swarm == null) {
            if (stopping) {
                reply.seeders = reply.leechers = reply.completed = 0;
                return OK;
            }
            swarm = newSwarm(r.infoHash, nowSec);
        }
        swarm.lastAnnounceSec = nowSec;
        boolean ipv6 = r.ipv6 != null;
        long high = ipv6 ? longAt(r.ipv6, 0) : 0;
        long low = ipv6 ? longAt(r.ipv6, 8) : 0;
        long last = ((long) r.sourcePort << 48) | (ipv6 ? 0 : (r.ipv4 & 0xFFFF_FFFFL) << 16) | r.port;
        PeerTable table = swarm.table(ipv6);
        if (stopping) {
            int old = table.remove(high, low, last);
            if (old != 0) {
                peers--;
                swarm.account(old, 0);
            }
        } else {
            store(swarm, table, high, low, last, nowSec, r);
        }
        reply.seeders = swarm.seeders;
        reply.leechers = swarm.leechers;
        reply.completed = swarm.completed;
        if (!stopping) {
            int want = r.numwant < 0 ? limits.defaultNumwant() : Math.min(r.numwant, limits.maxNumwant());
            boolean leechersOnly = r.isSeeder();
            if (wantV4) {
                reply.peersOffered += swarm.v4.select(want, random.nextLong(), high, low, ipv6 ? -1 : last,
                    leechersOnly, nowSec, sink);
            }
            if (wantV6 && swarm.v6 != null && reply.peersOffered < want) {
                reply.peersOffered += swarm.v6.select(want - reply.peersOffered, random.nextLong(), high, low,
                    ipv6 ? last : -1, leechersOnly, nowSec, sink);
            }
        }
        return OK;
    }

    private void store(Swarm swarm, PeerTable table, long high, long low, long last, int nowSec,
                       AnnounceRequest r) {
        int newMeta = PeerTable.meta(nowSec + limits.peerTimeoutSec(), r.isSeeder());
        int existing = table.get(high, low, last);
        if (existing == 0 && (peers >= limits.maxPeers() || swarm.peers() >= limits.maxPeersPerSwarm())) {
            int victim = table.oldestSampledSlot(random.nextLong(), EVICTION_SAMPLES);
            if (victim < 0) {
                return; // at the global cap with nothing of this swarm's own to give up: answer, do not store
            }
            swarm.account(table.removeSlot(victim), 0);
            peers--;
            peersEvicted++;
        }
        int old = table.put(high, low, last, newMeta);
        if (old == 0) {
            peers++;
        }
        swarm.account(old, newMeta);
        if (r.event == AnnounceEvent.COMPLETED && (old == 0 || !PeerTable.isSeeder(old))) {
            swarm.completed++;
        }
    }

    private Swarm newSwarm(byte[] hash, int nowSec) {
        if (swarms.size() >= limits.maxTorrents()) {
            evictOldestSampledSwarm();
        }
        Swarm swarm = new Swarm();
        swarm.lastAnnounceSec = nowSec;
        swarms.put(hash, swarm);
        return swarm;
    }

    private void evictOldestSampledSwarm() {
        int mask = swarms.capacity() - 1;
        long bits = random.nextLong();
        int slot = (int) bits & mask;
        int stride = (int) (bits >>> 32) | 1;
        int best = -1;
        for (int step = 0, seen = 0; step <= mask && seen < EVICTION_SAMPLES; step++, slot = (slot + stride) & mask) {
            Swarm s = swarms.valueAt(slot);
            if (s != null) {
                seen++;
                if (best < 0 || s.lastAnnounceSec < swarms.valueAt(best).lastAnnounceSec) {
                    best = slot;
                }
            }
        }
        if (best >= 0) {
            peers -= swarms.valueAt(best).peers();
            swarms.removeAt(best);
            torrentsEvicted++;
        }
    }

    /**
     * Fills {@code reply} with the counts of one swarm (zeros when unknown).
     *
     * @return {@link #OK} or {@link #NOT_ALLOWED}
     */
    public int scrape(byte[] infoHash, AnnounceReply reply) {
        if (allowList != null && allowList.get(infoHash) == null) {
            return NOT_ALLOWED;
        }
        Swarm swarm = swarms.get(infoHash);
        reply.seeders = swarm == null ? 0 : swarm.seeders;
        reply.leechers = swarm == null ? 0 : swarm.leechers;
        reply.completed = swarm == null ? 0 : swarm.completed;
        reply.peersOffered = 0;
        return OK;
    }

    /**
     * The public UDP endpoint of an IPv4 peer of a swarm, as the tracker saw it (address in bits 16-47, UDP source
     * port in bits 0-15), or -1 when the peer is not there, expired, or never announced over UDP.
     */
    public long udpEndpoint(byte[] infoHash, int ipv4, int port, int nowSec) {
        Swarm swarm = swarms.get(infoHash);
        if (swarm == null) {
            return -1;
        }
        long id = (ipv4 & 0xFFFF_FFFFL) << 16 | port;
        int meta = swarm.v4.get(0, 0, id);
        long word = swarm.v4.lastWord(0, 0, id);
        if (meta == 0 || PeerTable.expirySec(meta) < nowSec || word >>> 48 == 0) {
            return -1;
        }
        return (ipv4 & 0xFFFF_FFFFL) << 16 | word >>> 48;
    }

    /**
     * Expires peers and forgets idle empty swarms, visiting at most {@code maxSlots} slots of the swarm map from
     * where the previous call stopped, so a large registry is swept in small slices.
     */
    public void sweep(int nowSec, int maxSlots) {
        int capacity = swarms.capacity();
        for (int n = 0; n < maxSlots && n < capacity; n++) {
            int slot = sweepCursor % swarms.capacity();
            Swarm s = swarms.valueAt(slot);
            if (s != null) {
                removed[0] = removed[1] = 0;
                s.v4.removeExpired(nowSec, removed);
                if (s.v6 != null) {
                    s.v6.removeExpired(nowSec, removed);
                }
                s.seeders -= removed[0];
                s.leechers -= removed[1];
                peers -= removed[0] + removed[1];
                peersExpired += removed[0] + removed[1];
                if (s.peers() == 0 && nowSec - s.lastAnnounceSec > limits.torrentTimeoutSec()) {
                    swarms.removeAt(slot);
                    continue; // another swarm may have moved into this slot
                }
            }
            sweepCursor = (slot + 1) % swarms.capacity();
        }
    }

    public int torrents() {
        return swarms.size();
    }

    public long peers() {
        return peers;
    }

    public long peersEvicted() {
        return peersEvicted;
    }

    public long peersExpired() {
        return peersExpired;
    }

    public long torrentsEvicted() {
        return torrentsEvicted;
    }

    private static long longAt(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
