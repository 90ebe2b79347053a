package io.shoal.rudp.impair;

/**
 * Counters of one {@link LinkModel}, by fate. Every offered datagram ends in exactly one drop counter or in
 * {@code delivered}; a duplicate adds one more copy, which is then delivered or dropped as corrupt.
 *
 * @param offered datagrams given to the link
 * @param delivered copies handed to the receiving side (duplicates and delivered corrupt copies included)
 * @param droppedLoss dropped by Bernoulli or Gilbert-Elliott loss
 * @param droppedQueue dropped because the bottleneck queue was full (drop-tail)
 * @param droppedBlackout dropped during a blackout window
 * @param droppedMtu dropped for exceeding the MTU
 * @param droppedCorrupt corrupted copies dropped as a UDP checksum failure
 * @param duplicated extra copies made
 * @param corrupted copies whose bits were flipped (delivered or dropped)
 * @param deliveredBytes bytes in {@code delivered} copies
 */
public record LinkStats(
    long offered,
    long delivered,
    long droppedLoss,
    long droppedQueue,
    long droppedBlackout,
    long droppedMtu,
    long droppedCorrupt,
    long duplicated,
    long corrupted,
    long deliveredBytes) {

    /** Datagrams and copies dropped for any reason. */
    public long dropped() {
        return droppedLoss + droppedQueue + droppedBlackout + droppedMtu + droppedCorrupt;
    }
}
