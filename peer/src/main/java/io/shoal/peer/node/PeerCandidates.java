package io.shoal.peer.node;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Addresses a torrent may connect to (from trackers and {@link TorrentHandle#addPeer}), bounded, each dialled once
 * until its dial fails; confined to the node's event loop.
 */
final class PeerCandidates {
    private static final int MAX_WAITING = 1000;
    private static final int MAX_DIALLED = 10_000;

    private final Set<InetSocketAddress> dialled = new HashSet<>();
    private final ArrayDeque<InetSocketAddress> waiting = new ArrayDeque<>();

    void offer(InetSocketAddress address) {
        if (!dialled.contains(address) && waiting.size() < MAX_WAITING && !waiting.contains(address)) {
            waiting.add(address);
        }
    }

    /** The next address not dialled yet, marked dialled, or null. */
    InetSocketAddress next() {
        InetSocketAddress a;
        while ((a = waiting.poll()) != null) {
            if (dialled.size() < MAX_DIALLED && dialled.add(a)) {
                return a;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** The dial failed on every transport: a later offer (the next announce) may try it again. */
    void failed(InetSocketAddress address) {
        dialled.remove(address);
    }

    void clear() {
        waiting.clear();
    }
}
