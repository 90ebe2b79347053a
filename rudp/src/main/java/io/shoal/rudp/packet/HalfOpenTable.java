package io.shoal.rudp.packet;

import io.netty.util.collection.LongObjectHashMap;
import io.shoal.rudp.crypto.HandshakeState;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;

/**
 * The {@link SecureResponder}'s handshakes between admission and expiry, found by the initiator's id (a
 * retransmitted INITIATION) and by our local id (its FINISH): half-open ones, capped at {@code maxHalfOpen}, and
 * completed ones remembered to answer a retransmitted initiation with the same response instead of a second
 * connection, up to {@link #REMEMBERED_PER_HALF_OPEN} times {@code maxHalfOpen}, oldest forgotten first. Entries
 * expire in admission order, so one queue holds them all. One thread only.
 */
final class HalfOpenTable {
    /**
     * Completed handshakes must not count as half-open: that capped a server at maxHalfOpen handshakes per
     * handshake timeout (4096 per 10 s) and demanded cookies of everyone after 256 handshakes in 10 s.
     */
    static final int REMEMBERED_PER_HALF_OPEN = 4;

    /** A handshake between message 2 and its completion, or a completed IK one kept to answer retransmissions. */
    static final class Entry {
        final long initiatorId;
        final long localId;
        final byte[] ephemeral;
        final long expiresNs;
        final InetSocketAddress from;
        /** Null while the Diffie-Hellman work runs ({@link #job} set), then the message-2 packet. */
        byte[] response;
        ResponderHandshake job;
        HandshakeState noise;
        boolean completed;

        Entry(final long initiatorId, final long localId, final byte[] ephemeral, final long expiresNs,
              final InetSocketAddress from, final ResponderHandshake job) {
            this.initiatorId = initiatorId;
            this.localId = localId;
            this.ephemeral = ephemeral;
            this.expiresNs = expiresNs;
            this.from = from;
            this.job = job;
        }
    }

    private final int maxHalfOpen;
    /** Primitive-keyed maps: no boxed Long per lookup, and the server looks ids up several times per handshake. */
    private final LongObjectHashMap<Entry> byInitiatorId = new LongObjectHashMap<>();
    private final LongObjectHashMap<Entry> byLocalId = new LongObjectHashMap<>();
    private final ArrayDeque<Entry> expiryOrder = new ArrayDeque<>();
    /** Entries of {@link #expiryOrder} not yet completed: the only ones that count against the cookie threshold. */
    private int halfOpen;

    HalfOpenTable(final int maxHalfOpen) {
        this.maxHalfOpen = maxHalfOpen;
    }

    /** @return the entry for the initiator's connection id, or null */
    Entry byInitiator(final long initiatorId) {
        return byInitiatorId.get(initiatorId);
    }

    /** @return the entry our local connection id is reserved for, while its FINISH is still expected, or null */
    Entry byLocal(final long localId) {
        return byLocalId.get(localId);
    }

    /** @return whether no further handshake may be admitted */
    boolean full() {
        return halfOpen >= maxHalfOpen;
    }

    /**
     * Admits {@code entry}, reserving its local id (a FINISH for it finds no Noise state until message 2). Call
     * {@link #makeRoom()} before choosing that id with {@link #newLocalId}.
     */
    void add(final Entry entry) {
        byInitiatorId.put(entry.initiatorId, entry);
        byLocalId.put(entry.localId, entry);
        expiryOrder.add(entry);
        halfOpen++;
    }

    /** Forgets the oldest entry when the remembered cap is reached: most likely completed long ago. */
    void makeRoom() {
        if (expiryOrder.size() >= REMEMBERED_PER_HALF_OPEN * maxHalfOpen) {
            forget(expiryOrder.poll());
        }
    }

    /** @return a fresh non-zero local connection id not reserved by any entry */
    long newLocalId(final SecureRandom random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || byLocalId.containsKey(id));
        return id;
    }

    /** A FINISH took {@code entry}: a copy of that FINISH then finds nothing. */
    void takeForFinish(final Entry entry) {
        byLocalId.remove(entry.localId);
    }

    /** The handshake of {@code entry} completed: it is only remembered now, no longer half-open. */
    void completed(final Entry entry) {
        entry.noise = null;
        entry.completed = true;
        halfOpen--;
    }

    /** Forgets entries older than the handshake timeout. Early calls are harmless. */
    void expire(final long nowNs) {
        for (Entry e = expiryOrder.peek(); e != null && nowNs - e.expiresNs >= 0; e = expiryOrder.peek()) {
            forget(expiryOrder.poll());
        }
    }

    /** Forgets a failed handshake before its expiry; its stale {@link #expiryOrder} slot then changes nothing. */
    void forgetNow(final Entry e) {
        forget(e);
        e.completed = true;
        e.noise = null;
    }

    /** @return when the oldest entry expires, or {@link SecureResponder#NO_DEADLINE} */
    long nextDeadlineNs() {
        final Entry e = expiryOrder.peek();
        return e == null ? SecureResponder.NO_DEADLINE : e.expiresNs;
    }

    /** @return handshakes admitted and not completed */
    int halfOpenCount() {
        return halfOpen;
    }

    /** @return entries held: half-open, or completed and kept to answer retransmitted initiations */
    int rememberedCount() {
        return expiryOrder.size();
    }

    private void forget(final Entry e) {
        // By key and value: an entry forgotten early (forgetNow) may have been succeeded by one with the same id.
        removeIfSame(byInitiatorId, e.initiatorId, e);
        removeIfSame(byLocalId, e.localId, e);
        if (!e.completed) {
            halfOpen--;
        }
    }

    private static void removeIfSame(final LongObjectHashMap<Entry> map, final long id, final Entry e) {
        if (map.get(id) == e) {
            map.remove(id);
        }
    }
}
