package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.CipherState;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.HandshakeState;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseException;
import io.shoal.rudp.crypto.PeerKey;

import java.security.SecureRandom;

/**
 * The client side of the secure handshake, sans-IO. {@link #start} writes the initiation; feed every RESPONSE
 * and COOKIE_REPLY for this initiator's connection id to {@link #handleDatagram}; call {@link #handleTimeout} at
 * {@link #nextDeadlineNs()} (an early call is harmless). Outgoing packets are appended to the caller's buffer.
 * Runs IK (one round trip) when the {@code PeerKeyPolicy} knows the responder's key, XX otherwise; retransmits the
 * same initiation with doubling delays, re-sends at once with mac2 after a cookie reply, and fails with a
 * {@link HandshakeFailure} on a policy refusal, an authentication failure or the timeout. After XX's third message
 * it is {@link State#ESTABLISHED} but keeps re-sending FINISH until {@link #confirm()} (the first authenticated
 * packet from the responder) or the timeout. One thread only.
 */
public final class SecureInitiator {
    /** No timer armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Lifecycle. */
    public enum State { IDLE, AWAITING_RESPONSE, ESTABLISHED, FAILED }

    /** What {@link #handleDatagram} did. */
    public enum Result { IGNORED, RESENT_WITH_COOKIE, ESTABLISHED, RESENT_FINISH, FAILED }

    private final SecureHandshakeConfig config;
    private final String peerName;
    private final long localConnectionId;
    private final SecureRandom random;
    private final PeerKey expectedKey;
    private final HandshakePattern pattern;
    private final NoiseCipher cipher;
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
        this.config = config;
        this.peerName = peerName;
        this.localConnectionId = localConnectionId;
        this.random = random;
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
        final int suite = HandshakeCodec.suiteByte(pattern, cipher);
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
        startNs = nowNs;
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
     * @return a one-line account of the failure for a close reason, or null while not failed. A timeout names the
     *         proposed cipher: a responder that does not accept it drops the initiation without a word (as for any
     *         initiation it refuses before the Diffie-Hellman), so the timeout is all this side ever sees.
     */
    public String failureReason() {
        if (failure == null) {
            return null;
        }
        switch (failure) {
            case TIMED_OUT:
                return "no answer within " + config.handshakeTimeoutNs() / 1_000_000 + " ms to a "
                        + pattern.protocolName(cipher, config.hash()) + " initiation: the responder is unreachable"
                        + " or does not accept " + cipher;
            case REJECTED_BY_POLICY:
                return "the responder's static key is refused by this side's peer key policy";
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

    /** @return the cipher this initiator proposes (and, once established, uses) */
    public NoiseCipher cipher() {
        return cipher;
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

    private Result fail(final HandshakeFailure why) {
        state = State.FAILED;
        failure = why;
        deadlineNs = NO_DEADLINE;
        return Result.FAILED;
    }
}
