package io.shoal.peer.swarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whom we upload to, for one torrent (BEP 3 choking). Every {@link ChokerConfig#rechokeIntervalNs()} the
 * {@code regularSlots} best interested peers are unchoked: while leeching, best means the highest download rate from
 * them (tit-for-tat), skipping peers that snub us; while seeding, the highest upload rate to them, or round robin.
 * On top, {@code optimisticSlots} choked interested peers are unchoked at random every
 * {@link ChokerConfig#optimisticIntervalNs()}, new peers weighted 3x. A rechoke never unchokes a peer that is not
 * interested (it would not request); only {@link #unchokeOnConnect} does, for a new peer while a slot is free.
 *
 * <p>Call {@link #rechoke} when {@link #nextRechokeNs()} is due (an early call is a harmless re-decision), then send
 * choke/unchoke to the peers listed by {@link #changedCount()}/{@link #changedPeer(int)}. Ranking allocates a little
 * every 10 s; nothing per block. Not thread-safe.
 */
public final class Choker {
    /** Rates the caller measures; read during {@link #rechoke}. */
    public interface Rates {
        /** Payload bytes per second received from {@code peer}. */
        long downloadBytesPerSecond(int peer);

        /** Payload bytes per second sent to {@code peer}. */
        long uploadBytesPerSecond(int peer);
    }

    private static final class Peer {
        final int id;
        final long connectedNs;
        boolean interested;
        boolean weAreInterested;
        boolean unchoked;
        boolean optimistic;
        long lastBlockNs;
        long lastUnchokedNs;
        long unchokedSinceNs;
        long salt;

        Peer(int id, long connectedNs) {
            this.id = id;
            this.connectedNs = connectedNs;
            this.lastBlockNs = connectedNs;
            this.lastUnchokedNs = connectedNs;
        }
    }

    private final ChokerConfig config;
    private final SplittableRandom random;
    private final List<Peer> peers = new ArrayList<>();
    private int[] changed = new int[8];
    private int changedCount;
    private long nextRechokeNs;
    private long nextOptimisticNs;
    private boolean started;

    public Choker(ChokerConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    /** A peer connected; it starts choked and not interested (BEP 3). */
    public void addPeer(int peer, long nowNs) {
        if (find(peer) == null) {
            peers.add(new Peer(peer, nowNs));
        }
    }

    public void removePeer(int peer) {
        peers.removeIf(p -> p.id == peer);
    }

    /**
     * Unchokes a peer that just connected if a slot is free (true), before it says it is interested, which BEP 3
     * allows: its interested and first requests then leave together, a round trip sooner. The next rechoke decides
     * as usual, so a peer that never becomes interested gives the slot back then.
     */
    public boolean unchokeOnConnect(int peer, long nowNs) {
        Peer p = find(peer);
        if (p == null || p.unchoked || unchokedCount() >= slots()) {
            return false;
        }
        p.unchoked = true;
        p.unchokedSinceNs = nowNs;
        p.lastUnchokedNs = nowNs;
        return true;
    }

    /** The peer told us it is (not) interested in our pieces. */
    public void onInterested(int peer, boolean interested) {
        Peer p = find(peer);
        if (p != null) {
            p.interested = interested;
        }
    }

    /** We told the peer we are (not) interested; anti-snubbing only judges peers we want data from. */
    public void onWeAreInterested(int peer, boolean interested, long nowNs) {
        Peer p = find(peer);
        if (p != null && interested != p.weAreInterested) {
            p.weAreInterested = interested;
            if (interested) {
                p.lastBlockNs = nowNs;
            }
        }
    }

    /** A block arrived from the peer: it is not snubbing us. */
    public void onBlockFrom(int peer, long nowNs) {
        Peer p = find(peer);
        if (p != null) {
            p.lastBlockNs = nowNs;
        }
    }

    public boolean isUnchoked(int peer) {
        Peer p = find(peer);
        return p != null && p.unchoked;
    }

    public boolean isOptimistic(int peer) {
        Peer p = find(peer);
        return p != null && p.optimistic;
    }

    /** Peers unchoked now (regular and optimistic); below the slot count, a newly interested peer can be served. */
    public int unchokedCount() {
        int n = 0;
        for (int i = 0; i < peers.size(); i++) {
            n += peers.get(i).unchoked ? 1 : 0;
        }
        return n;
    }

    /** Regular plus optimistic slots. */
    public int slots() {
        return config.regularSlots() + config.optimisticSlots();
    }

    /** True when we want data from the peer and it sent nothing for {@link ChokerConfig#snubNs()}. */
    public boolean isSnubbed(int peer, long nowNs) {
        Peer p = find(peer);
        return p != null && snubbed(p, nowNs);
    }

    /** When {@link #rechoke} is next due; before the first rechoke, now. */
    public long nextRechokeNs() {
        return nextRechokeNs;
    }

    public boolean isRechokeDue(long nowNs) {
        return !started || nowNs - nextRechokeNs >= 0;
    }

    /** Re-decides every slot; {@code seeding} selects the seeding ranking. */
    public void rechoke(long nowNs, boolean seeding, Rates rates) {
        boolean rotate = !started || nowNs - nextOptimisticNs >= 0;
        started = true;
        nextRechokeNs = nowNs + config.rechokeIntervalNs();
        if (rotate) {
            nextOptimisticNs = nowNs + config.optimisticIntervalNs();
        }
        boolean[] wasUnchoked = new boolean[peers.size()];
        List<Peer> candidates = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            wasUnchoked[i] = p.unchoked;
            p.salt = random.nextLong();
            if (p.interested && (seeding || !snubbed(p, nowNs))) {
                candidates.add(p);
            }
        }
        candidates.sort(ranking(seeding, rates, nowNs));
        int regular = Math.min(config.regularSlots(), candidates.size());
        for (Peer p : peers) {
            if (p.unchoked && !p.optimistic) {
                p.unchoked = false;
            }
        }
        for (int i = 0; i < regular; i++) {
            Peer p = candidates.get(i);
            p.unchoked = true;
            p.optimistic = false;
        }
        chooseOptimistic(rotate, nowNs);
        changedCount = 0;
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            if (p.unchoked) {
                p.lastUnchokedNs = nowNs;
                if (!wasUnchoked[i]) {
                    p.unchokedSinceNs = nowNs;
                }
            }
            if (p.unchoked != wasUnchoked[i]) {
                if (changedCount == changed.length) {
                    changed = Arrays.copyOf(changed, changedCount * 2);
                }
                changed[changedCount++] = p.id;
            }
        }
    }

    /** Peers whose choke state changed in the last {@link #rechoke}. */
    public int changedCount() {
        return changedCount;
    }

    public int changedPeer(int i) {
        return changed[i];
    }

    private Comparator<Peer> ranking(boolean seeding, Rates rates, long nowNs) {
        Comparator<Peer> bySalt = Comparator.comparingLong(p -> p.salt);
        if (!seeding) {
            return Comparator.<Peer>comparingLong(p -> -rates.downloadBytesPerSecond(p.id)).thenComparing(bySalt);
        }
        if (config.seedChoking() == ChokerConfig.SeedChoking.FASTEST_UPLOAD) {
            return Comparator.<Peer>comparingLong(p -> -rates.uploadBytesPerSecond(p.id)).thenComparing(bySalt);
        }
        // Round robin: a peer keeps its slot for one optimistic interval, then the peers that waited longest go first.
        return Comparator.<Peer>comparingInt(p -> p.unchoked && !p.optimistic
                        && nowNs - p.unchokedSinceNs < config.optimisticIntervalNs() ? 0 : 1)
                .thenComparingLong(p -> p.lastUnchokedNs)
                .thenComparing(bySalt);
    }

    private void chooseOptimistic(boolean rotate, long nowNs) {
        int current = 0;
        for (Peer p : peers) {
            if (p.optimistic) {
                if (rotate || !p.interested) {
                    p.optimistic = false;
                    p.unchoked = false;
                } else {
                    current++;
                }
            }
        }
        while (current < config.optimisticSlots()) {
            long totalWeight = 0;
            for (Peer p : peers) {
                totalWeight += optimisticWeight(p, nowNs);
            }
            if (totalWeight == 0) {
                return;
            }
            long ticket = random.nextLong(totalWeight);
            for (Peer p : peers) {
                ticket -= optimisticWeight(p, nowNs);
                if (ticket < 0) {
                    p.unchoked = true;
                    p.optimistic = true;
                    break;
                }
            }
            current++;
        }
    }

    private long optimisticWeight(Peer p, long nowNs) {
        if (!p.interested || p.unchoked) {
            return 0;
        }
        return nowNs - p.connectedNs < config.newPeerNs() ? 3 : 1;
    }

    private boolean snubbed(Peer p, long nowNs) {
        return p.weAreInterested && nowNs - p.lastBlockNs >= config.snubNs();
    }

    private Peer find(int peer) {
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            if (p.id == peer) {
                return p;
            }
        }
        return null;
    }
}
