package io.shoal.tracker.registry;

/**
 * The peers of one swarm in one address family, stored compactly: an open-addressing hash table (linear probing,
 * backward-shift deletion) of fixed-width long keys plus one int of metadata per slot. No object per peer.
 *
 * <p>A key is {@code keyLongs} longs. IPv4 uses one: the address in bits 16-47, the announced port in bits 0-15 and the
 * UDP source port in bits 48-63. IPv6 uses three: address high, address low, and the ports the same way. Only the
 * identity bits (everything but the source port) are compared and hashed, so a peer re-announcing from a new NAT
 * mapping updates its entry. The metadata int is {@code expirySec << 1 | seeder}; 0 marks an empty slot, so expiry
 * seconds start at 1. Single-threaded.
 */
final class PeerTable {
    private static final long SOURCE_PORT_MASK = 0xFFFF_0000_0000_0000L;
    private static final int MIN_CAPACITY = 4;

    private final int keyLongs;
    private long[] keys;
    private int[] meta;
    private int mask;
    private int size;

    PeerTable(int keyLongs) {
        this.keyLongs = keyLongs;
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** Bytes held by the arrays, for memory accounting. */
    long footprintBytes() {
        return (long) keys.length * Long.BYTES + (long) meta.length * Integer.BYTES;
    }

    static int meta(int expirySec, boolean seeder) {
        return expirySec << 1 | (seeder ? 1 : 0);
    }

    static boolean isSeeder(int meta) {
        return (meta & 1) != 0;
    }

    static int expirySec(int meta) {
        return meta >>> 1;
    }

    /** Inserts or updates the peer; returns its previous metadata, or 0 when it is new. */
    int put(long high, long low, long last, int newMeta) {
        if (size + 1 > (mask + 1) * 3L / 4) {
            allocate((mask + 1) * 2);
        }
        int slot = slotOf(high, low, last);
        int old = meta[slot];
        if (old == 0) {
            size++;
        }
        writeKey(slot, high, low, last);
        meta[slot] = newMeta;
        return old;
    }

    /** Removes the peer; returns its metadata, or 0 when it was absent. */
    int remove(long high, long low, long last) {
        int slot = slotOf(high, low, last);
        int old = meta[slot];
        if (old != 0) {
            deleteAt(slot);
        }
        return old;
    }

    /** The metadata of the peer, or 0 when absent. */
    int get(long high, long low, long last) {
        return meta[slotOf(high, low, last)];
    }

    /** The full last key word (with source port) of a present peer, or -1 when absent. */
    long lastWord(long high, long low, long last) {
        int slot = slotOf(high, low, last);
        return meta[slot] == 0 ? -1 : keys[slot * keyLongs + keyLongs - 1];
    }

    /**
     * Removes every peer whose expiry is before {@code nowSec}; counts removed seeders in {@code removed[0]} and
     * leechers in {@code removed[1]}.
     */
    void removeExpired(int nowSec, int[] removed) {
        for (int slot = 0; slot <= mask; slot++) {
            // Backward shift may move a later entry into this slot: look at it again before moving on.
            while (meta[slot] != 0 && expirySec(meta[slot]) < nowSec) {
                removed[isSeeder(meta[slot]) ? 0 : 1]++;
                deleteAt(slot);
            }
        }
        if (size < (mask + 1) / 8 && mask + 1 > MIN_CAPACITY) {
            allocate(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size * 2)) * 2));
        }
    }

    /**
     * Offers up to {@code max} live peers to {@code sink}, walking the table from a random slot onward (wrapping),
     * skipping {@code selfLast} (the asker's own key word, identity bits) and, when {@code leechersOnly}, seeders.
     * Slots are in hash order, so a run of them from a random start is a random sample of the swarm; walking them in
     * order keeps the walk to a few cache lines instead of one miss per slot (opentracker also copies a contiguous
     * run).
     *
     * @return how many were offered
     */
    int select(int max, long random, long selfHigh, long selfLow, long selfLast, boolean leechersOnly, int nowSec,
               PeerSink sink) {
        int capacity = mask + 1;
        int slot = (int) random & mask;
        int offered = 0;
        for (int step = 0; step < capacity && offered < max; step++, slot = (slot + 1) & mask) {
            int m = meta[slot];
            if (m == 0 || expirySec(m) < nowSec || (leechersOnly && isSeeder(m))) {
                continue;
            }
            int k = slot * keyLongs;
            long last = keys[k + keyLongs - 1] & ~SOURCE_PORT_MASK;
            if (last == (selfLast & ~SOURCE_PORT_MASK)
                && (keyLongs == 1 || (keys[k] == selfHigh && keys[k + 1] == selfLow))) {
                continue;
            }
            if (keyLongs == 1) {
                sink.peer4(last);
            } else {
                sink.peer6(keys[k], keys[k + 1], (int) (last & 0xFFFF));
            }
            offered++;
        }
        return offered;
    }

    /** Among up to {@code samples} occupied slots from a random walk, the one expiring first; -1 when empty. */
    int oldestSampledSlot(long random, int samples) {
        int best = -1;
        int slot = (int) random & mask;
        int stride = (int) (random >>> 32) | 1;
        for (int step = 0, seen = 0; step <= mask && seen < samples; step++, slot = (slot + stride) & mask) {
            if (meta[slot] != 0) {
                seen++;
                if (best < 0 || expirySec(meta[slot]) < expirySec(meta[best])) {
                    best = slot;
                }
            }
        }
        return best;
    }

    /** Removes the entry at {@code slot} (from {@link #oldestSampledSlot}); returns its metadata. */
    int removeSlot(int slot) {
        int old = meta[slot];
        deleteAt(slot);
        return old;
    }

    private int slotOf(long high, long low, long last) {
        long id = last & ~SOURCE_PORT_MASK;
        int slot = hash(high, low, id) & mask;
        while (meta[slot] != 0) {
            int k = slot * keyLongs;
            if ((keys[k + keyLongs - 1] & ~SOURCE_PORT_MASK) == id
                && (keyLongs == 1 || (keys[k] == high && keys[k + 1] == low))) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private int hash(long high, long low, long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        if (keyLongs > 1) {
            h ^= high * 0xC2B2AE3D27D4EB4FL ^ low * 0x165667B19E3779F9L;
        }
        return (int) (h ^ h >>> 29 ^ h >>> 47);
    }

    private void writeKey(int slot, long high, long low, long last) {
        int k = slot * keyLongs;
        if (keyLongs > 1) {
            keys[k] = high;
            keys[k + 1] = low;
        }
        keys[k + keyLongs - 1] = last;
    }

    /** Backward-shift deletion: later entries of the probe run move up so lookups never need tombstones. */
    private void deleteAt(int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (meta[next] != 0) {
            int k = next * keyLongs;
            int home = hash(keys[k], keyLongs > 1 ? keys[k + 1] : 0, keys[k + keyLongs - 1] & ~SOURCE_PORT_MASK)
                & mask;
            // Move the entry at next into the hole unless its home lies cyclically in (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(keys, k, keys, hole * keyLongs, keyLongs);
                meta[hole] = meta[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        meta[hole] = 0;
        size--;
    }

    private void allocate(int capacity) {
        long[] oldKeys = keys;
        int[] oldMeta = meta;
        keys = new long[capacity * keyLongs];
        meta = new int[capacity];
        mask = capacity - 1;
        size = 0;
        if (oldMeta == null) {
            return;
        }
        for (int s = 0; s < oldMeta.length; s++) {
            if (oldMeta[s] != 0) {
                int k = s * keyLongs;
                long high = keyLongs > 1 ? oldKeys[k] : 0;
                long low = keyLongs > 1 ? oldKeys[k + 1] : 0;
                int slot = slotOf(high, low, oldKeys[k + keyLongs - 1]);
                writeKey(slot, high, low, oldKeys[k + keyLongs - 1]);
                meta[slot] = oldMeta[s];
                size++;
            }
        }
    }
}
