package io.shoal.peer.swarm;

import java.util.Arrays;

/**
 * The blocks we have asked one peer for and not yet received, oldest first, with the time each was sent. A plain
 * growable int array: depths are a few hundred at most, so removal by linear search is cheaper than any map.
 */
final class PeerRequests {
    private int[] blocks = new int[16];
    private long[] sentNs = new long[16];
    private int size;

    int size() {
        return size;
    }

    int blockAt(int i) {
        return blocks[i];
    }

    long sentNsAt(int i) {
        return sentNs[i];
    }

    void add(int block, long nowNs) {
        if (size == blocks.length) {
            blocks = Arrays.copyOf(blocks, size * 2);
            sentNs = Arrays.copyOf(sentNs, size * 2);
        }
        blocks[size] = block;
        sentNs[size] = nowNs;
        size++;
    }

    boolean contains(int block) {
        return indexOf(block) >= 0;
    }

    /** Removes {@code block}, keeping the order of the rest; false when it was not outstanding. */
    boolean remove(int block) {
        int i = indexOf(block);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    void removeAt(int i) {
        System.arraycopy(blocks, i + 1, blocks, i, size - i - 1);
        System.arraycopy(sentNs, i + 1, sentNs, i, size - i - 1);
        size--;
    }

    void clear() {
        size = 0;
    }

    private int indexOf(int block) {
        for (int i = 0; i < size; i++) {
            if (blocks[i] == block) {
                return i;
            }
        }
        return -1;
    }
}
