package io.shoal.rudp.session;

import io.netty.util.collection.LongObjectHashMap;

import java.security.SecureRandom;

/**
 * Local connection ids of one {@link SecureEndpoint}: random, non-zero, unique among the connections it routes.
 * Connections are found by these ids, never by address, so an id changes only when an initiator's cipher fallback
 * starts a new attempt under a fresh one ({@code rudp/PROTOCOL.md} section 3).
 */
final class ConnectionIds {
    private ConnectionIds() {
    }

    /** @return a random id, not 0 and not a key of {@code routes} */
    static long fresh(final LongObjectHashMap<?> routes, final SecureRandom random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || routes.containsKey(id));
        return id;
    }

    /** Routes {@code c} by a fresh id instead of {@code oldId}: a stale packet for the old one then finds nothing. */
    static <T> long move(final LongObjectHashMap<T> routes, final T c, final long oldId, final SecureRandom random) {
        routes.remove(oldId);
        final long id = fresh(routes, random);
        routes.put(id, c);
        return id;
    }
}
