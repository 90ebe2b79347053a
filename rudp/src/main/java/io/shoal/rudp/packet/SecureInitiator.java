package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.CipherState;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.HandshakeState;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseException;
import io.shoal.rudp.crypto.PeerKey;

import java.security.SecureRandom;
import java.util.function.LongUnaryOperator;

/**
 * The client side of the secure handshake, sans-IO. {@link #start} writes the initiation; feed every RESPONSE
 * and COOKIE_REPLY for this initiator's connection id to {@link #handleDatagram}; call {@link #handleTimeout} at
 * {@link #nextDeadlineNs()} (an early call is harmless). Outgoing packets are appended to the caller's buffer.
 * Runs IK (one round trip) when the {@code PeerKeyPolicy} knows the responder's key, XX otherwise; retransmits the
 * same initiation with doubling delays, re-sends at once with mac2 after a cookie reply, and fails with a
 * {@link HandshakeFailure} on a policy refusal, an authentication failure or the timeout. A {@link CipherRefusal}
 * of the current initiation either starts a fallback attempt at once (when the configuration allows it, i.e.
 * {@code CipherSuite.AUTO}: another cipher the responder lists, a fresh ephemeral key, a new connection id from the
 * id source, and the suite byte's fallback flag, bound into the prologue) or fails with
 * {@link HandshakeFailure#CIPHER_REFUSED} / {@link HandshakeFailure#DOWNGRADE_DETECTED}; refusals that match no
 * current initiation are counted ({@link #badRefusals()}) and ignored. After XX's third message
 * it is {@link State#ESTABLISHED} but keeps re-sending FINISH until {@link #confirm()} (the first authenticated
 * packet from the responder) or the timeout. One thread only.
 */
public final class SecureInitiator {
    /** No timer armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Lifecycle. */
    public enum State { IDLE, AWAITING_RESPONSE, ESTABLISHED, FAILED }

    /** What {@link #handleDatagram} did. */
    public enum Result {
        IGNORED, RESENT_WITH_COOKIE, ESTABLISHED, RESENT_FINISH, FAILED,
        /** A refusal started a fallback attempt: a new initiation under a new {@link #localConnectionId()}. */
        FELL_BACK
    }

    private final SecureHandshakeConfig config;
    private final String peerName;
    private final SecureRandom random;
    /** Old connection id to the fallback attempt's new one (the owner re-routes by it). */
    private final LongUnaryOperator renumber;
    private final PeerKey expectedKey;
    private final HandshakePattern pattern;
    private long localConnectionId;
    private NoiseCipher cipher;
    /** The first choice a refusal turned down; null unless this is a fallback attempt. */
    private NoiseCipher refusedCipher;
    /** The ciphers the last accepted refusal listed ({@link CipherRefusal#mask}). */
    private int refusalMask;
    private long badRefusals;
    private HandshakeState noise;
    private State state = State.IDLE;
    private HandshakeFailure failure;
    private HandshakeOutcome outcome;
    private byte[] initiation;
    private byte[] finish;
    private boolean confirmed;
    private byte[] cookie;
    private long cookieAtNs;
    private long startNs;
    private long deadlineNs = NO_DEADLINE;
    private long retransmitNs;
    private long bytesSent;

    /**
     * @param peerName the name the policy knows the responder by
     * @param localConnectionId random id the responder will write into our packets
     */
    public SecureInitiator(final SecureHandshakeConfig config, final String peerName, final long localConnectionId,
                           final SecureRandom random) {
        this(config, peerName, localConnectionId, random, old -> nonZero(random));
    }

    /**
     * @param renumber gives a cipher fallback its new connection id, from the old one (a caller that routes by id
     *                 moves this initiator there); never 0
     */
    public SecureInitiator(final SecureHandshakeConfig config, final String peerName, final long localConnectionId,
                           final SecureRandom random, final LongUnaryOperator renumber) {
        this.config = config;
        this.peerName = peerName;
        this.localConnectionId = localConnectionId;
        this.random = random;
        this.renumber = renumber;
        this.expectedKey = config.policy().expectedKey(peerName);
        final boolean psk = config.psk() != null;
        this.pattern = expectedKey != null
                ? (psk ? HandshakePattern.IK_PSK2 : HandshakePattern.IK)
                : (psk ? HandshakePattern.XX_PSK3 : HandshakePattern.XX);
        this.cipher = config.cipher();
    }

    /** Writes the initiation into {@code out} and arms the retransmission timer. */
    public void start(final long nowNs, final ByteBuf out) {
        if (state != State.IDLE) {
            throw new IllegalStateException("already started");
        }
        startNs = nowNs;
        writeInitiation(nowNs, out);
    }

    /** A new attempt: fresh ephemeral key and initiation for the current id and cipher, retransmission restarted. */
    private void writeInitiation(final long nowNs, final ByteBuf out) {
        final int suite = HandshakeCodec.suiteByte(pattern, cipher, refusedCipher != null);
        noise = new HandshakeState(pattern, true, cipher, config.hash(),
                HandshakeCodec.prologue(suite, localConnectionId), config.identity().keyPair(),
                expectedKey, config.psk(), random);
        final byte[] msg1;
        try {
            msg1 = noise.writeMessage(new byte[0]);
        } catch (NoiseException e) {
            throw new IllegalStateException("writing the first message cannot fail", e);
        }
        initiation = new byte[HandshakeCodec.initiationBytes(pattern)];
        initiation[0] = (byte) SecurePacketType.INITIATION.firstByte(0);
        initiation[1] = (byte) suite;
        PacketProtection.putLong(initiation, 2, localConnectionId);
        System.arraycopy(msg1, 0, initiation, HandshakeCodec.INITIATION_HEADER_BYTES, msg1.length);
        final int mac1At = initiation.length - 2 * HandshakeCodec.MAC_BYTES;
        final byte[] mac1 = HandshakeCodec.mac(HandshakeCodec.mac1Key(expectedKey),
                initiation, 0, mac1At);
        System.arraycopy(mac1, 0, initiation, mac1At, HandshakeCodec.MAC_BYTES);
        state = State.AWAITING_RESPONSE;
        retransmitNs = config.firstRetransmitNs();
        sendInitiation(nowNs, out);
    }

    /** Handles a datagram addressed to this initiator (borrowed); may append a packet to {@code out}. */
    public Result handleDatagram(final ByteBuf datagram, final long nowNs, final ByteBuf out) {
        final int len = datagram.readableBytes();
        final int r = datagram.readerIndex();
        if (len < HandshakeCodec.REPLY_HEADER_BYTES || datagram.getLong(r + 1) != localConnectionId) {
            return Result.IGNORED;
        }
        final int first = datagram.getUnsignedByte(r);
        if (first == CipherRefusal.FIRST_BYTE) {
            return handleRefusal(datagram, nowNs, out);
        }
        if (first == SecurePacketType.COOKIE_REPLY.firstByte(0) && len == HandshakeCodec.COOKIE_REPLY_BYTES
                && state == State.AWAITING_RESPONSE) {
            cookie = new byte[CookieValidator.COOKIE_BYTES];
            datagram.getBytes(r + HandshakeCodec.REPLY_HEADER_BYTES, cookie);
            cookieAtNs = nowNs;
            sendInitiation(nowNs, out);
            return Result.RESENT_WITH_COOKIE;
        }
        if (first != SecurePacketType.RESPONSE.firstByte(0) || len != HandshakeCodec.responseBytes(pattern)) {
            return Result.IGNORED;
        }
        if (state == State.ESTABLISHED && finish != null && !confirmed) {
            // The responder answered a retransmitted initiation: our FINISH may be lost, send it again (1:1).
            writeCounted(out, finish);
            return Result.RESENT_FINISH;
        }
        if (state != State.AWAITING_RESPONSE) {
            return Result.IGNORED;
        }
        final byte[] msg2 = new byte[len - HandshakeCodec.REPLY_HEADER_BYTES];
        datagram.getBytes(r + HandshakeCodec.REPLY_HEADER_BYTES, msg2);
        try {
            final byte[] payload = noise.readMessage(msg2);
            if (payload.length != HandshakeCodec.CONNECTION_ID_BYTES) {
                return fail(HandshakeFailure.DECRYPT_FAILED);
            }
            final PeerKey peerKey = noise.remoteStatic();
            if (!config.policy().accepts(peerName, peerKey)) {
                return fail(HandshakeFailure.REJECTED_BY_POLICY);
            }
            final long peerId = HandshakeCodec.getLong(payload, 0);
            if (!noise.isComplete()) {
                final byte[] msg3 = noise.writeMessage(new byte[0]);
                finish = new byte[HandshakeCodec.REPLY_HEADER_BYTES + msg3.length];
                finish[0] = (byte) SecurePacketType.FINISH.firstByte(0);
                PacketProtection.putLong(finish, 1, peerId);
                System.arraycopy(msg3, 0, finish, HandshakeCodec.REPLY_HEADER_BYTES, msg3.length);
                writeCounted(out, finish);
                retransmitNs = config.firstRetransmitNs();
                deadlineNs = nowNs + retransmitNs;
            } else {
                deadlineNs = NO_DEADLINE;
            }
            final CipherState[] split = noise.split();
            outcome = new HandshakeOutcome(new PacketProtection(cipher, split[0].keyCopy(), split[1].keyCopy(),
                    localConnectionId, peerId, config.protection()), localConnectionId, peerId, peerKey,
                    noise.handshakeHash(), pattern, null);
            state = State.ESTABLISHED;
            return Result.ESTABLISHED;
        } catch (NoiseException e) {
            return fail(HandshakeFailure.DECRYPT_FAILED);
        }
    }

    /**
     * A refusal (borrowed) for our id. Accepted only while awaiting a response, and only as the refusal of the exact
     * initiation we sent last; a first attempt's refusal must not list the cipher it refuses (no genuine responder
     * does). A fallback attempt's refusal that lists its cipher means the responder accepts what the first refusal
     * said it did not: that one was forged.
     */
    private Result handleRefusal(final ByteBuf datagram, final long nowNs, final ByteBuf out) {
        final int mask = state == State.AWAITING_RESPONSE ? CipherRefusal.acceptedMask(datagram, initiation) : -1;
        final boolean listsOurs = mask > 0 && CipherRefusal.lists(mask, cipher);
        if (mask < 0 || listsOurs && refusedCipher == null) {
            badRefusals++;
            return Result.IGNORED;
        }
        refusalMask = mask;
        if (listsOurs) {
            return fail(HandshakeFailure.DOWNGRADE_DETECTED);
        }
        final NoiseCipher next = refusedCipher == null && config.cipherFallback() ? fallback(mask) : null;
        if (next == null) {
            return fail(HandshakeFailure.CIPHER_REFUSED);
        }
        refusedCipher = cipher;
        cipher = next;
        localConnectionId = renumber.applyAsLong(localConnectionId);
        writeInitiation(nowNs, out);
        return Result.FELL_BACK;
    }

    /** @return the first cipher (ChaChaPoly before AESGCM) the refusal lists other than ours, or null */
    private NoiseCipher fallback(final int mask) {
        for (final NoiseCipher c : NoiseCipher.values()) {
            if (c != cipher && CipherRefusal.lists(mask, c)) {
                return c;
            }
        }
        return null;
    }

    /** Runs due timers: retransmits, or fails with {@link HandshakeFailure#TIMED_OUT}. */
    public void handleTimeout(final long nowNs, final ByteBuf out) {
        if (deadlineNs == NO_DEADLINE || nowNs - deadlineNs < 0) {
            return;
        }
        final boolean expired = nowNs - startNs >= config.handshakeTimeoutNs();
        if (state == State.AWAITING_RESPONSE) {
            if (expired) {
                fail(HandshakeFailure.TIMED_OUT);
                return;
            }
            retransmitNs = Math.min(retransmitNs * 2, config.firstRetransmitNs() * 8);
            sendInitiation(nowNs, out);
        } else if (state == State.ESTABLISHED && finish != null && !confirmed && !expired) {
            retransmitNs = Math.min(retransmitNs * 2, config.firstRetransmitNs() * 8);
            writeCounted(out, finish);
            deadlineNs = nowNs + retransmitNs;
        } else {
            deadlineNs = NO_DEADLINE;
        }
    }

    /** The session opened an authenticated packet from the responder: the handshake is confirmed. */
    public void confirm() {
        confirmed = true;
        if (state == State.ESTABLISHED) {
            deadlineNs = NO_DEADLINE;
        }
    }

    /** @return the earliest time {@link #handleTimeout} has work, or {@link #NO_DEADLINE} */
    public long nextDeadlineNs() {
        return deadlineNs;
    }

    /** @return the state */
    public State state() {
        return state;
    }

    /** @return why the handshake failed, or null */
    public HandshakeFailure failure() {
        return failure;
    }

    /**
     * @return a one-line account of the failure for a close reason, or null while not failed. A cipher refusal names
     *         both sides' ciphers; a timeout names the pattern and cipher proposed.
     */
    public String failureReason() {
        if (failure == null) {
            return null;
        }
        switch (failure) {
            case TIMED_OUT:
                return "no answer within " + config.handshakeTimeoutNs() / 1_000_000 + " ms to a "
                        + pattern.protocolName(cipher, config.hash()) + " initiation: the responder is unreachable"
                        + " or not answering";
            case REJECTED_BY_POLICY:
                return "the responder's static key is refused by this side's peer key policy";
            case CIPHER_REFUSED:
                return "the responder accepts only " + CipherRefusal.describe(refusalMask) + " and refused "
                        + (refusedCipher != null ? refusedCipher + ", then the fallback to " + cipher
                        : cipher + (config.cipherFallback() ? "; this side implements none of those"
                        : ", chosen explicitly (no fallback)"));
            case DOWNGRADE_DETECTED:
                return "the responder accepts " + CipherRefusal.describe(refusalMask) + " and refused the fallback to "
                        + cipher + ": the refusal of " + refusedCipher + " was forged (a downgrade attempt)";
            default:
                return "a handshake message failed authentication (wrong responder key, wrong psk, or tampering)";
        }
    }

    /** @return the result once {@link State#ESTABLISHED}, else null */
    public HandshakeOutcome outcome() {
        return outcome;
    }

    /** @return the pattern this initiator runs */
    public HandshakePattern pattern() {
        return pattern;
    }

    /** @return the cipher this initiator proposes now (and, once established, uses) */
    public NoiseCipher cipher() {
        return cipher;
    }

    /** @return the connection id of the current attempt (a cipher fallback changes it) */
    public long localConnectionId() {
        return localConnectionId;
    }

    /** @return the first choice a refusal turned down, or null when no fallback happened */
    public NoiseCipher refusedCipher() {
        return refusedCipher;
    }

    /** @return cipher refusals ignored: malformed, for another initiation, not awaited, or self-contradictory */
    public long badRefusals() {
        return badRefusals;
    }

    /** @return bytes written so far */
    public long bytesSent() {
        return bytesSent;
    }

    private void sendInitiation(final long nowNs, final ByteBuf out) {
        final int mac2At = initiation.length - HandshakeCodec.MAC_BYTES;
        final boolean fresh = cookie != null && nowNs - cookieAtNs < config.cookieLifetimeNs();
        final byte[] mac2 = fresh
                ? HandshakeCodec.mac(cookie, initiation, 0, mac2At)
                : new byte[HandshakeCodec.MAC_BYTES];
        System.arraycopy(mac2, 0, initiation, mac2At, HandshakeCodec.MAC_BYTES);
        writeCounted(out, initiation);
        deadlineNs = nowNs + retransmitNs;
    }

    private void writeCounted(final ByteBuf out, final byte[] packet) {
        out.writeBytes(packet);
        bytesSent += packet.length;
    }

    private static long nonZero(final SecureRandom random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    private Result fail(final HandshakeFailure why) {
        state = State.FAILED;
        failure = why;
        deadlineNs = NO_DEADLINE;
        return Result.FAILED;
    }
}
