package io.shoal.rudp.packet;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Path validation for one connection after an address change (NAT rebinding, roaming), the QUIC way (RFC 9000
 * sections 8.2 and 9): connections are found by connection id, so an authenticated packet from a new address keeps
 * the connection, but the new address must echo an 8-byte PATH_CHALLENGE before it becomes the connection's path.
 * Until then at most {@link #AMPLIFICATION_FACTOR} times the bytes received from it may be sent to it, so a forged
 * source address cannot turn the connection into an amplifier. Only packets that {@link PacketProtection} opened
 * may be reported here. Sans-IO; one thread only.
 */
public final class PathValidator {
    /** Bytes that may be sent to an unvalidated address per byte received from it. */
    public static final int AMPLIFICATION_FACTOR = 3;
    /** Challenge payload length. */
    public static final int CHALLENGE_BYTES = 8;
    /** No timer armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int MAX_CHALLENGES = 3;

    /** What the caller should do after {@link #onAuthenticatedPacket}. */
    public enum Action {
        /** Nothing: the packet came over the validated path, or validation is already under way. */
        NONE,
        /** Seal {@link #challenge()} as a PATH_CHALLENGE and send it to {@link #candidate()}. */
        SEND_CHALLENGE
    }

    private final SecureRandom random;
    private final long retryNs;
    private InetSocketAddress validated;
    private InetSocketAddress candidate;
    private final byte[] challenge = new byte[CHALLENGE_BYTES];
    private long candidateBytesIn;
    private long candidateBytesOut;
    private int challengesSent;
    private long deadlineNs = NO_DEADLINE;

    /**
     * @param validated the address the handshake ran over (already proven by the handshake)
     * @param retryNs delay before a challenge is repeated (at most three are sent)
     */
    public PathValidator(final InetSocketAddress validated, final SecureRandom random, final long retryNs) {
        this.validated = validated;
        this.random = random;
        this.retryNs = retryNs;
    }

    /** Reports an authenticated packet of {@code bytes} from {@code from}. */
    public Action onAuthenticatedPacket(final InetSocketAddress from, final int bytes, final long nowNs) {
        if (from.equals(validated)) {
            return Action.NONE;
        }
        if (from.equals(candidate)) {
            candidateBytesIn += bytes;
            return Action.NONE;
        }
        candidate = from;
        candidateBytesIn = bytes;
        candidateBytesOut = 0;
        challengesSent = 0;
        random.nextBytes(challenge);
        return nextChallenge(nowNs) ? Action.SEND_CHALLENGE : Action.NONE;
    }

    /**
     * Reports an authenticated PATH_RESPONSE from {@code from}.
     *
     * @return true when it validated the candidate, which is now the connection's path
     */
    public boolean onPathResponse(final InetSocketAddress from, final byte[] echoed) {
        if (candidate == null || !candidate.equals(from) || !MessageDigest.isEqual(challenge, echoed)) {
            return false;
        }
        validated = candidate;
        candidate = null;
        deadlineNs = NO_DEADLINE;
        return true;
    }

    /**
     * Asks to send {@code bytes} to {@code to}; to the validated path always allowed, to the candidate only within
     * the amplification budget, which this call spends when it allows.
     */
    public boolean trySend(final InetSocketAddress to, final int bytes) {
        if (to.equals(validated)) {
            return true;
        }
        if (to.equals(candidate) && candidateBytesOut + bytes <= AMPLIFICATION_FACTOR * candidateBytesIn) {
            candidateBytesOut += bytes;
            return true;
        }
        return false;
    }

    /**
     * Runs the retry timer.
     *
     * @return {@link Action#SEND_CHALLENGE} when the challenge should be sent again
     */
    public Action handleTimeout(final long nowNs) {
        if (deadlineNs == NO_DEADLINE || nowNs - deadlineNs < 0) {
            return Action.NONE;
        }
        if (challengesSent >= MAX_CHALLENGES) {
            // The candidate never answered: keep the old path (RFC 9000 section 9.3.2).
            candidate = null;
            deadlineNs = NO_DEADLINE;
            return Action.NONE;
        }
        return nextChallenge(nowNs) ? Action.SEND_CHALLENGE : Action.NONE;
    }

    /** @return the challenge bytes to seal (a copy) */
    public byte[] challenge() {
        return challenge.clone();
    }

    /** @return the address being validated, or null */
    public InetSocketAddress candidate() {
        return candidate;
    }

    /** @return the connection's current, validated path */
    public InetSocketAddress validatedPath() {
        return validated;
    }

    /** @return the retry deadline, or {@link #NO_DEADLINE} */
    public long nextDeadlineNs() {
        return deadlineNs;
    }

    /** Spends the budget for one sealed challenge; false when the candidate has not sent enough to earn it. */
    private boolean nextChallenge(final long nowNs) {
        final int sealedBytes = PacketProtection.OVERHEAD_BYTES + CHALLENGE_BYTES;
        if (!trySend(candidate, sealedBytes)) {
            deadlineNs = nowNs + retryNs;
            challengesSent++;
            return false;
        }
        challengesSent++;
        deadlineNs = nowNs + retryNs;
        return true;
    }
}
