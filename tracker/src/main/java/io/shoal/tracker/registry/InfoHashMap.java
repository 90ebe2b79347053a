package io.shoal.tracker.registry;

/**
 * A map from 20-byte info hashes to values, looked up straight from a caller's byte array (no key object per
 * lookup): open addressing with linear probing and backward-shift deletion over one flat byte array of hashes.
 * Single-threaded.
 *
 * @param <V> the value type; values are never null
 */
final class InfoHashMap<V> {
    static final int HASH_BYTES = 20;

    private byte[] hashes;
    private Object[] values;
    private int mask;
    private int size;

    InfoHashMap(int initialCapacity) {
        allocate(Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1);
    }

    int size() {
        return size;
    }

    /** Slots, for a caller that walks the map with {@link #valueAt}. */
    int capacity() {
        return mask + 1;
    }

    /** The value at {@code slot}, or null when the slot is empty. */
    @SuppressWarnings("unchecked")
    V valueAt(int slot) {
        return (V) values[slot];
    }

    /** Copies the key at an occupied {@code slot} into {@code dst}. */
    void keyAt(int slot, byte[] dst) {
        System.arraycopy(hashes, slot * HASH_BYTES, dst, 0, HASH_BYTES);
    }

    @SuppressWarnings("unchecked")
    V get(byte[] hash) {
        return (V) values[slotOf(hash)];
    }

    /** Adds or replaces; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(byte[] hash, V value) {
        if (size + 1 > (mask + 1) * 3L / 4) {
            allocate((mask + 1) * 2);
        }
        int slot = slotOf(hash);
        V old = (V) values[slot];
        if (old == null) {
            size++;
            System.arraycopy(hash, 0, hashes, slot * HASH_BYTES, HASH_BYTES);
        }
        values[slot] = value;
        return old;
    }

    /** Removes the entry at an occupied {@code slot}; a later entry may move into it. */
    void removeAt(int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (values[next] != null) {
            int home = home(hashes, next * HASH_BYTES);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(hashes, next * HASH_BYTES, hashes, hole * HASH_BYTES, HASH_BYTES);
                values[hole] = values[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        values[hole] = null;
        size--;
    }

    /** The slot holding {@code hash}, or the empty slot where it would go. */
    int slotOf(byte[] hash) {
        int slot = home(hash, 0);
        while (values[slot] != null) {
            if (java.util.Arrays.equals(hashes, slot * HASH_BYTES, slot * HASH_BYTES + HASH_BYTES, hash, 0,
                HASH_BYTES)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Info hashes are SHA-1 output, but a client may send any bytes: mix them anyway. */
    private int home(byte[] b, int at) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (b[at + i] & 0xff);
        }
        h ^= (b[at + 8] & 0xffL) << 56 | (b[at + 19] & 0xffL);
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 31) & mask;
    }

    private void allocate(int capacity) {
        byte[] oldHashes = hashes;
        Object[] oldValues = values;
        hashes = new byte[capacity * HASH_BYTES];
        values = new Object[capacity];
        mask = capacity - 1;
        size = 0;
        if (oldValues == null) {
            return;
        }
        byte[] key = new byte[HASH_BYTES];
        for (int s = 0; s < oldValues.length; s++) {
            if (oldValues[s] != null) {
                System.arraycopy(oldHashes, s * HASH_BYTES, key, 0, HASH_BYTES);
                int slot = slotOf(key);
                System.arraycopy(key, 0, hashes, slot * HASH_BYTES, HASH_BYTES);
                values[slot] = oldValues[s];
                size++;
            }
        }
    }
}
