package io.shoal.rudp.packet;

/**
 * The handshake-rate half of {@link SecureResponder}'s load signal: the start times of the last {@code threshold}
 * handshakes that cost Diffie-Hellman work, in a ring. When the oldest of them is less than
 * {@link SecureResponder#LOAD_WINDOW_NS} old, the server is under load and demands cookies, whether or not those
 * handshakes completed (IK ones complete at once, so a count of half-open ones alone would never see an IK flood).
 * One thread only.
 */
final class HandshakeStartRate {
    /** Thresholds above this disable the rate signal (no ring that large is allocated). */
    private static final int MAX_THRESHOLD = 1 << 16;

    private final long[] startedNs;
    /** The oldest entry once the ring is full. */
    private int next;
    private int count;

    /** @param threshold starts within the window that mean load; 0 or above 65,536 disables the signal */
    HandshakeStartRate(final int threshold) {
        this.startedNs = new long[threshold <= MAX_THRESHOLD ? threshold : 0];
    }

    /** @return whether {@code threshold} handshakes started within the window before {@code nowNs} */
    boolean exceeded(final long nowNs, final long windowNs) {
        return startedNs.length > 0 && count == startedNs.length && nowNs - startedNs[next] < windowNs;
    }

    /** Records a handshake started at {@code nowNs}. */
    void record(final long nowNs) {
        if (startedNs.length == 0) {
            return;
        }
        startedNs[next] = nowNs;
        next = (next + 1) % startedNs.length;
        count = Math.min(count + 1, startedNs.length);
    }
}
