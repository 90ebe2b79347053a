package io.shoal.rudp.crypto;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Static-static Diffie-Hellman results of one local key pair, by peer static key: a bounded LRU map, as WireGuard
 * precomputes {@code ss}. The value depends only on the two static keys, so a handshake that takes it from here
 * mixes exactly the bytes it would have computed: transcripts, keys and the wire are unchanged. An IK responder
 * saves one of its four X25519 operations per returning peer (and an initiator one of its two per known server).
 *
 * <p>Ownership: {@link #get} returns a fresh copy and {@link #put} stores one, so no caller ever holds the array the
 * map holds; an evicted entry is zeroed (it is key material) without touching anything a handshake still uses.
 * Thread-safe (one lock, held only for the map operation, never during a DH): one identity may serve several
 * sockets and handshake workers at once. Two threads missing on the same peer at once both compute and store the
 * same value; both count as misses.
 */
public final class StaticDhCache {
    /** Entries kept by default: 4,096 peers, about 0.5 MiB with the map's overhead. */
    public static final int DEFAULT_ENTRIES = 4096;

    /** Counters since creation: lookups that found an entry, lookups that did not, entries dropped for room. */
    public record Stats(long hits, long misses, long evictions, int size) {
    }

    private final int maxEntries;
    private final Map<PeerKey, byte[]> entries;
    private long hits;
    private long misses;
    private long evictions;

    /** @param maxEntries peers remembered at most, least recently used forgotten first; at least 1 */
    public StaticDhCache(final int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 64), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<PeerKey, byte[]> eldest) {
                if (size() <= StaticDhCache.this.maxEntries) {
                    return false;
                }
                Arrays.fill(eldest.getValue(), (byte) 0);
                evictions++;
                return true;
            }
        };
    }

    /** @return a copy of the secret shared with {@code peer}, or null (counted as a miss) */
    public synchronized byte[] get(final PeerKey peer) {
        final byte[] known = entries.get(peer);
        if (known == null) {
            misses++;
            return null;
        }
        hits++;
        return known.clone();
    }

    /** Remembers a copy of {@code shared} for {@code peer}, evicting the least recently used peer when full. */
    public synchronized void put(final PeerKey peer, final byte[] shared) {
        entries.put(peer, shared.clone());
    }

    /** @return the counters and the current number of entries */
    public synchronized Stats stats() {
        return new Stats(hits, misses, evictions, entries.size());
    }
}
