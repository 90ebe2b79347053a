package io.shoal.rudp.crypto;

import java.util.Map;
import java.util.Set;

/**
 * Decides whether a peer's static key is acceptable, and which key to expect from a named peer (which lets an
 * initiator use IK instead of XX). The peer name is whatever the application identifies peers by, e.g.
 * {@code host:port} or an info-hash plus peer id; {@link #pinned} and {@link #allowList} ignore it.
 */
public interface PeerKeyPolicy {

    /** @return whether {@code key}, presented by the peer called {@code peerName}, may complete a handshake */
    boolean accepts(String peerName, PeerKey key);

    /**
     * @return whether {@link #accepts} reads its peer name; when false a caller may pass null instead of building
     * one (a responder formats {@code host:port} per handshake for it, about 2 us of its event loop)
     */
    default boolean readsPeerName() {
        return true;
    }

    /** @return the key this policy expects from {@code peerName}, or null when it does not know one */
    PeerKey expectedKey(String peerName);

    /** Accepts only {@code key}, whoever presents it. */
    static PeerKeyPolicy pinned(final PeerKey key) {
        return new PeerKeyPolicy() {
            @Override
            public boolean accepts(final String peerName, final PeerKey presented) {
                return key.equals(presented);
            }

            @Override
            public boolean readsPeerName() {
                return false;
            }

            @Override
            public PeerKey expectedKey(final String peerName) {
                return key;
            }
        };
    }

    /** Accepts any key in {@code keys} (copied). */
    static PeerKeyPolicy allowList(final Set<PeerKey> keys) {
        final Set<PeerKey> allowed = Set.copyOf(keys);
        return new PeerKeyPolicy() {
            @Override
            public boolean accepts(final String peerName, final PeerKey presented) {
                return allowed.contains(presented);
            }

            @Override
            public boolean readsPeerName() {
                return false;
            }

            @Override
            public PeerKey expectedKey(final String peerName) {
                return allowed.size() == 1 ? allowed.iterator().next() : null;
            }
        };
    }

    /**
     * Trust on first use, like SSH's known_hosts: the first key a name presents is remembered in {@code known}
     * (which the application may persist; it is updated in place, so share it across threads only if it is a
     * concurrent map); later a different key from that name is refused.
     */
    static PeerKeyPolicy learnOnFirstUse(final Map<String, PeerKey> known) {
        final Map<String, PeerKey> store = known;
        return new PeerKeyPolicy() {
            @Override
            public boolean accepts(final String peerName, final PeerKey presented) {
                return store.computeIfAbsent(peerName, n -> presented).equals(presented);
            }

            @Override
            public PeerKey expectedKey(final String peerName) {
                return store.get(peerName);
            }
        };
    }

    /** Accepts every key: encryption without authentication of the peer, for tests and opportunistic use. */
    static PeerKeyPolicy acceptAny() {
        return new PeerKeyPolicy() {
            @Override
            public boolean accepts(final String peerName, final PeerKey presented) {
                return true;
            }

            @Override
            public boolean readsPeerName() {
                return false;
            }

            @Override
            public PeerKey expectedKey(final String peerName) {
                return null;
            }
        };
    }
}
