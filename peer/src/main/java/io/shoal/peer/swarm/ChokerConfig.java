package io.shoal.peer.swarm;

import java.util.concurrent.TimeUnit;

/**
 * Knobs of the {@link Choker}; times in nanoseconds.
 *
 * @param regularSlots         peers unchoked for reciprocation (BEP 3: 4)
 * @param optimisticSlots      peers unchoked at random, to discover better partners and bootstrap new ones (1)
 * @param rechokeIntervalNs    how often slots are re-decided (BEP 3: 10 s, "to avoid fibrillation")
 * @param optimisticIntervalNs how often the optimistic unchoke rotates (BEP 3: 30 s)
 * @param newPeerNs            a peer connected for less than this is "new" and 3x as likely to be picked optimistically
 * @param snubNs               a peer we want data from that sent none for this long is snubbed (60 s)
 * @param seedChoking          how slots are ranked once we have everything
 */
public record ChokerConfig(int regularSlots, int optimisticSlots, long rechokeIntervalNs, long optimisticIntervalNs,
                           long newPeerNs, long snubNs, SeedChoking seedChoking) {
    /** Seeding-mode ranking. */
    public enum SeedChoking {
        /** Favour the peers we upload to fastest (libtorrent {@code fastest_upload}): they spread data soonest. */
        FASTEST_UPLOAD,
        /** Rotate slots so every interested peer gets a turn (libtorrent {@code round_robin}). */
        ROUND_ROBIN
    }

    public ChokerConfig {
        if (regularSlots < 0 || optimisticSlots < 0 || rechokeIntervalNs <= 0 || optimisticIntervalNs <= 0
                || newPeerNs < 0 || snubNs <= 0 || seedChoking == null) {
            throw new IllegalArgumentException("bad choker config");
        }
    }

    /** BEP 3's numbers: 4 + 1 slots, rechoke 10 s, optimistic 30 s; new for 90 s, snubbed after 60 s. */
    public static ChokerConfig defaults() {
        return new ChokerConfig(4, 1, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30),
                TimeUnit.SECONDS.toNanos(90), TimeUnit.SECONDS.toNanos(60), SeedChoking.FASTEST_UPLOAD);
    }
}
