package io.shoal.peer.node;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Addresses a torrent may connect to (from trackers, {@link TorrentHandle#addPeer} and the listen port incoming peers
 * name in their BEP 10 handshake), with their dial history; confined to the node's event loop, times in
 * {@code nowNs}.
 *
 * <p>An address is dialled when due and not busy (dialling or connected). A failed dial or a dropped connection makes
 * it due again after a backoff that starts at {@code initialBackoffNs} and doubles up to 5 minutes; after
 * {@code maxFailures} in a row it is given up for the torrent's life (an address that keeps failing is not worth a
 * socket). A connection that lasted {@link #LONG_LIVED_NS} counts as a success: its drop starts the backoff afresh.
 * Banned addresses are given up as soon as they come due. Bounded: at most {@link #MAX_KNOWN} addresses are kept.
 */
final class PeerCandidates {
    static final int MAX_KNOWN = 2000;
    static final long MAX_BACKOFF_NS = 300_000_000_000L;
    static final long LONG_LIVED_NS = 60_000_000_000L;

    private final long initialBackoffNs;
    private final int maxFailures;
    private final Map<InetSocketAddress, Entry> known = new LinkedHashMap<>();

    private static final class Entry {
        int failures;
        long dueNs;
        long connectedAtNs;
        boolean busy;
        boolean givenUp;
    }

    PeerCandidates(long initialBackoffNs, int maxFailures) {
        this.initialBackoffNs = initialBackoffNs;
        this.maxFailures = maxFailures;
    }

    /** A new address is due at once; one already known keeps its state (its backoff is not cut short). */
    void offer(InetSocketAddress address, long nowNs) {
        if (!known.containsKey(address) && known.size() < MAX_KNOWN) {
            Entry e = new Entry();
            e.dueNs = nowNs;
            known.put(address, e);
        }
    }

    /**
     * The first due address that is not busy and not refused, marked busy (the caller dials it), or null. An address
     * {@code refused} says no to (banned) is given up.
     */
    InetSocketAddress next(long nowNs, Predicate<InetSocketAddress> refused) {
        for (Iterator<Map.Entry<InetSocketAddress, Entry>> it = known.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Entry> me = it.next();
            Entry e = me.getValue();
            if (e.busy || e.givenUp || e.dueNs - nowNs > 0) {
                continue;
            }
            if (refused.test(me.getKey())) {
                e.givenUp = true;
                continue;
            }
            e.busy = true;
            return me.getKey();
        }
        return null;
    }

    /** The dial failed on every transport. */
    void dialFailed(InetSocketAddress address, long nowNs) {
        Entry e = known.get(address);
        if (e != null) {
            e.busy = false;
            failure(e, nowNs);
        }
    }

    /** A connection to (or from the listen port of) {@code address} is up: it is not dialled while it lasts. */
    void connected(InetSocketAddress address, long nowNs) {
        Entry e = known.get(address);
        if (e == null && known.size() < MAX_KNOWN) {
            e = new Entry();
            known.put(address, e);
        }
        if (e != null) {
            e.busy = true;
            e.connectedAtNs = nowNs;
        }
    }

    /** The connection to {@code address} closed: dial it again after a backoff. */
    void dropped(InetSocketAddress address, long nowNs) {
        Entry e = known.get(address);
        if (e == null || !e.busy) {
            return;
        }
        e.busy = false;
        if (nowNs - e.connectedAtNs >= LONG_LIVED_NS) {
            e.failures = 0;
        }
        failure(e, nowNs);
    }

    private void failure(Entry e, long nowNs) {
        e.failures++;
        if (e.failures >= maxFailures) {
            e.givenUp = true;
            return;
        }
        long backoff = initialBackoffNs << Math.min(e.failures - 1, 30);
        e.dueNs = nowNs + Math.min(MAX_BACKOFF_NS, backoff < 0 ? MAX_BACKOFF_NS : backoff);
    }

    /** Whether {@code address} was given up (too many failures or banned). */
    boolean isGivenUp(InetSocketAddress address) {
        Entry e = known.get(address);
        return e != null && e.givenUp;
    }

    /** When {@code address} is next due, or {@link Long#MAX_VALUE} when unknown, busy or given up. */
    long dueNs(InetSocketAddress address) {
        Entry e = known.get(address);
        return e == null || e.busy || e.givenUp ? Long.MAX_VALUE : e.dueNs;
    }

    void clear() {
        known.clear();
    }
}
