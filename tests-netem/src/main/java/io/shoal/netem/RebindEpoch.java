package io.shoal.netem;

/**
 * How many rebindings a UDP proxy's toxics have asked for by a given time: the sum over the {@code rebind},
 * {@code reset_peer} and {@code timeout > 0} toxics of both streams. A session bound under another value gets a new
 * upstream socket (a new source port, as after a NAT rebinding) before its next datagram. Computed per datagram from
 * the chain's immutable snapshots: no allocation, no state.
 */
final class RebindEpoch {
    private RebindEpoch() {
    }

    /** The epoch at {@code nowNs} ({@code System.nanoTime()} clock, as {@link Toxic#addedAtNs()}). */
    static long at(ToxicChain toxics, long nowNs) {
        return sum(toxics.snapshot(ToxicStream.UPSTREAM), nowNs) + sum(toxics.snapshot(ToxicStream.DOWNSTREAM), nowNs);
    }

    private static long sum(Toxic[] chain, long nowNs) {
        long sum = 0;
        for (Toxic t : chain) {
            long elapsedMs = (nowNs - t.addedAtNs()) / 1_000_000L;
            if (t.type() == ToxicType.REBIND && elapsedMs >= 0) {
                long interval = t.nonNegative("interval");
                sum += interval > 0 ? 1 + elapsedMs / interval : 1;
            } else if (t.type() == ToxicType.RESET_PEER && elapsedMs >= t.nonNegative("timeout")) {
                sum += 1;
            } else if (t.type() == ToxicType.TIMEOUT && t.nonNegative("timeout") > 0
                && elapsedMs >= t.nonNegative("timeout")) {
                sum += 1; // a TCP timeout closes the connection; a UDP one forgets the mapping
            }
        }
        return sum;
    }
}
