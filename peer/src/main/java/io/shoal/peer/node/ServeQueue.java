package io.shoal.peer.node;

/**
 * The requests a peer made of us that wait for the connection to become writable: a bounded ring of
 * (piece, begin, length) triples, so a peer flooding requests cannot make us queue piece data. Not thread-safe.
 */
final class ServeQueue {
    private final int[] pieces;
    private final int[] begins;
    private final int[] lengths;
    private int head;
    private int size;

    ServeQueue(int capacity) {
        pieces = new int[capacity];
        begins = new int[capacity];
        lengths = new int[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** False when full (the request is refused) or already queued (a duplicate is ignored). */
    boolean offer(int piece, int begin, int length) {
        if (size == pieces.length || indexOf(piece, begin, length) >= 0) {
            return false;
        }
        int i = (head + size) % pieces.length;
        pieces[i] = piece;
        begins[i] = begin;
        lengths[i] = length;
        size++;
        return true;
    }

    int peekPiece() {
        return pieces[head];
    }

    int peekBegin() {
        return begins[head];
    }

    int peekLength() {
        return lengths[head];
    }

    void poll() {
        head = (head + 1) % pieces.length;
        size--;
    }

    /** Removes a queued request (a cancel); true when it was there. Linear, the queue is short. */
    boolean remove(int piece, int begin, int length) {
        int at = indexOf(piece, begin, length);
        if (at < 0) {
            return false;
        }
        for (int k = at; k < size - 1; k++) {
            int from = (head + k + 1) % pieces.length;
            int to = (head + k) % pieces.length;
            pieces[to] = pieces[from];
            begins[to] = begins[from];
            lengths[to] = lengths[from];
        }
        size--;
        return true;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    /** Offset k (0 = head) of a queued triple, or -1. */
    private int indexOf(int piece, int begin, int length) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % pieces.length;
            if (pieces[i] == piece && begins[i] == begin && lengths[i] == length) {
                return k;
            }
        }
        return -1;
    }
}
