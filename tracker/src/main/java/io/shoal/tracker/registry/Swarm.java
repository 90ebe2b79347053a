package io.shoal.tracker.registry;

/** One torrent's peers (IPv4 and, when any announce over IPv6, IPv6) and counts. Owned by {@link SwarmRegistry}. */
final class Swarm {
    final PeerTable v4 = new PeerTable(1);
    /** Created on the first IPv6 announce; most swarms never need it. */
    PeerTable v6;
    int seeders;
    int leechers;
    int completed;
    int lastAnnounceSec;

    PeerTable table(boolean ipv6) {
        if (!ipv6) {
            return v4;
        }
        if (v6 == null) {
            v6 = new PeerTable(3);
        }
        return v6;
    }

    int peers() {
        return seeders + leechers;
    }

    /** Adjusts the counts for a peer whose metadata went from {@code oldMeta} (0: absent) to {@code newMeta}. */
    void account(int oldMeta, int newMeta) {
        if (oldMeta != 0) {
            if (PeerTable.isSeeder(oldMeta)) {
                seeders--;
            } else {
                leechers--;
            }
        }
        if (newMeta != 0) {
            if (PeerTable.isSeeder(newMeta)) {
                seeders++;
            } else {
                leechers++;
            }
        }
    }
}
