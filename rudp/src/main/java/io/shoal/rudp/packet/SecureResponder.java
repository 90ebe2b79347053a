package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.CipherState;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseException;
import io.shoal.rudp.crypto.PeerKey;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The server side of the secure handshake for one socket, sans-IO. Feed INITIATION packets to
 * {@link #handleInitiation} and FINISH packets to {@link #handleFinish}; take completed handshakes from
 * {@link #pollEstablished()}; call {@link #handleTimeout} at {@link #nextDeadlineNs()} to forget stale half-open
 * handshakes. Replies are appended to the caller's buffer and go back to the datagram's source address.
 *
 * <p>Defences, cheapest first: exact lengths; mac1 (one BLAKE2s, no Diffie-Hellman) drops garbage and packets not
 * meant for this server; under load (always, when {@code cookieThreshold} is 0; else at or above
 * {@code cookieThreshold} half-open handshakes, or that many handshakes started within {@link #LOAD_WINDOW_NS}) an
 * initiation without a valid mac2 gets only a 25-byte cookie reply and leaves no state. Every reply is smaller than
 * the 160-byte-or-larger initiation that caused it, one reply per initiation, so an unproven address never gets more
 * bytes than it sent. An initiation with a cipher this side refuses (or a fallback this side sees through as a
 * downgrade) gets a 27-byte {@link CipherRefusal} after mac1, before any Diffie-Hellman, and leaves no state.
 *
 * <p>Off-loop work: {@link #beginInitiation} and {@link #beginFinish} do only the cheap checks on the caller's thread
 * and hand out the Diffie-Hellman work as a {@link ResponderHandshake} ({@link #takeStarted()}), which may run on
 * any thread; {@link #finishHandshake} takes it back. An admitted handshake is registered before its work runs, so
 * a copy of the initiation meanwhile is dropped ({@link Result#DROPPED_IN_PROGRESS}) and a replay after it ends gets
 * the cached response, never a second connection. {@link #handleInitiation} and {@link #handleFinish} do all three
 * steps inline. Admitted handshakes, half-open or completed and remembered, live in a {@link HalfOpenTable}. The
 * responder itself is confined to one thread.
 */
public final class SecureResponder {
    /** No timer armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** What the responder did with a packet. */
    public enum Result {
        /** Handshake message 2 written. */
        RESPONDED,
        /**
         * Admitted, the Diffie-Hellman work is to be done elsewhere: take it with {@link #takeStarted()}, run
         * {@link ResponderHandshake#compute()}, then hand it to {@link #finishInitiation}. Nothing written yet.
         */
        STARTED,
        /** A copy of an initiation whose Diffie-Hellman work is still running: dropped, the first one answers. */
        DROPPED_IN_PROGRESS,
        /** The admitted handshake was forgotten (expired, or its work refused by a full queue) before it ended. */
        DROPPED_EXPIRED,
        /** A retransmitted initiation: the cached response written again, no crypto done. */
        RESENT_RESPONSE,
        /** A cookie reply written; no state kept. */
        COOKIE_SENT,
        /** FINISH accepted: a handshake is ready in {@link #pollEstablished()}. */
        ESTABLISHED,
        /** Wrong length, unknown pattern, psk mismatch, or an id already in use. */
        DROPPED_MALFORMED,
        /** mac1 wrong: not for this server, or garbage. */
        DROPPED_BAD_MAC1,
        /** The Noise message failed authentication. */
        DROPPED_DECRYPT_FAILED,
        /** The initiation proposes a cipher this responder does not accept: a {@link CipherRefusal} written. */
        DROPPED_CIPHER_REFUSED,
        /**
         * A fallback initiation (suite byte flag) proposing a cipher while this responder also accepts the other
         * one, whose refusal the fallback claims: the refusal was forged. A {@link CipherRefusal} written.
         */
        DROPPED_DOWNGRADE,
        /** The initiator's static key is refused by the policy. */
        DROPPED_POLICY,
        /** FINISH for no known half-open handshake. */
        DROPPED_UNKNOWN_ID,
        /** The half-open table is full. */
        DROPPED_TABLE_FULL
    }

    /** The window of the handshake-rate load signal: more than {@code cookieThreshold} starts in it is load. */
    public static final long LOAD_WINDOW_NS = 1_000_000_000L;

    private final SecureHandshakeConfig config;
    private final CookieValidator cookies;
    private final SecureRandom random;
    private final byte[] mac1KeyKnown;
    private final byte[] mac1KeyAnonymous;
    private final HalfOpenTable table;
    private final ArrayDeque<HandshakeOutcome> established = new ArrayDeque<>();
    /** The job {@link #beginInitiation} last returned {@link Result#STARTED} for, until {@link #takeStarted()}. */
    private ResponderHandshake started;
    /** The handshake-rate half of the load signal. */
    private final HandshakeStartRate starts;
    private long staleCookies;
    private long cipherRefused;
    private long downgradesRefused;
    /** {@link CipherRefusal#mask} of the accepted ciphers. */
    private final int acceptedMask;

    /**
     * @param cookies the socket's cookie validator (one per socket, shared by nothing else)
     * @param random source of connection ids and ephemeral keys
     */
    public SecureResponder(final SecureHandshakeConfig config, final CookieValidator cookies,
                           final SecureRandom random) {
        this.config = config;
        this.cookies = cookies;
        this.random = random;
        this.mac1KeyKnown = HandshakeCodec.mac1Key(config.identity().publicKey());
        this.mac1KeyAnonymous = HandshakeCodec.mac1Key(null);
        this.starts = new HandshakeStartRate(config.cookieThreshold());
        this.table = new HalfOpenTable(config.maxHalfOpen());
        this.acceptedMask = CipherRefusal.mask(config.acceptedCiphers());
    }

    /**
     * Handles an INITIATION from {@code from} (borrowed), possibly appending a reply to {@code out}: the checks of
     * {@link #beginInitiation}, then the Diffie-Hellman work inline.
     */
    public Result handleInitiation(final ByteBuf datagram, final InetSocketAddress from, final long nowNs,
                                   final ByteBuf out) {
        final Result r = beginInitiation(datagram, from, nowNs, out);
        if (r != Result.STARTED) {
            return r;
        }
        final ResponderHandshake job = takeStarted();
        job.compute();
        return finishHandshake(job, nowNs, out);
    }

    /**
     * The cheap part of an INITIATION from {@code from} (borrowed): lengths, mac1, a retransmission of a known one
     * (answered from the cache, or dropped while its work runs), cookies under load, the half-open cap. An admitted
     * initiation is registered at once (so a copy arriving while its work runs is not admitted twice, and a replay
     * after it completed gets the same response, never a second connection) and returns {@link Result#STARTED}; its
     * job then comes from {@link #takeStarted()}. Other results may have appended a reply to {@code out}.
     */
    public Result beginInitiation(final ByteBuf datagram, final InetSocketAddress from, final long nowNs,
                                  final ByteBuf out) {
        handleTimeout(nowNs);
        final int len = datagram.readableBytes();
        final int r = datagram.readerIndex();
        if (len < HandshakeCodec.INITIATION_MIN_BYTES
                || datagram.getUnsignedByte(r) != SecurePacketType.INITIATION.firstByte(0)) {
            return Result.DROPPED_MALFORMED;
        }
        final int suite = datagram.getUnsignedByte(r + 1);
        final HandshakePattern pattern = HandshakeCodec.pattern(suite);
        final NoiseCipher cipher = HandshakeCodec.cipher(suite);
        if (pattern == null || cipher == null || len != HandshakeCodec.initiationBytes(pattern)
                || pattern.usesPsk() != (config.psk() != null)) {
            return Result.DROPPED_MALFORMED;
        }
        final int mac1At = len - 2 * HandshakeCodec.MAC_BYTES;
        final byte[] mac1 = HandshakeCodec.mac(pattern.needsResponderKey() ? mac1KeyKnown : mac1KeyAnonymous,
                datagram, r, mac1At);
        final byte[] presented = new byte[HandshakeCodec.MAC_BYTES];
        datagram.getBytes(r + mac1At, presented);
        if (!MessageDigest.isEqual(mac1, presented)) {
            return Result.DROPPED_BAD_MAC1;
        }
        if (!config.acceptedCiphers().contains(cipher)) {
            // Say what we accept (stateless, no Diffie-Hellman, 27 bytes: never more than the initiation), so the
            // initiator falls back or fails at once instead of at its handshake timeout.
            cipherRefused++;
            CipherRefusal.write(datagram, acceptedMask, out);
            return Result.DROPPED_CIPHER_REFUSED;
        }
        if (HandshakeCodec.isFallback(suite) && acceptedMask != 1 << cipher.wireId()) {
            // A fallback follows a refusal of the other cipher, and we accept that one: the refusal was forged (a
            // downgrade attempt). Refuse; our list names the proposed cipher, which tells the initiator why.
            downgradesRefused++;
            CipherRefusal.write(datagram, acceptedMask, out);
            return Result.DROPPED_DOWNGRADE;
        }
        final long initiatorId = datagram.getLong(r + 2);
        final byte[] msg1 = new byte[pattern.messageLength(0, 0)];
        datagram.getBytes(r + HandshakeCodec.INITIATION_HEADER_BYTES, msg1);
        final HalfOpenTable.Entry known = table.byInitiator(initiatorId);
        if (known != null) {
            if (!Arrays.equals(known.ephemeral, Arrays.copyOf(msg1, 32))) {
                return Result.DROPPED_MALFORMED;
            }
            if (known.response == null) {
                return Result.DROPPED_IN_PROGRESS;
            }
            out.writeBytes(known.response);
            return Result.RESENT_RESPONSE;
        }
        if (underLoad(nowNs)
                && !cookies.mac2Valid(datagram, len - HandshakeCodec.MAC_BYTES, from, nowNs)) {
            if (datagram.getLong(r + len - 16) != 0 || datagram.getLong(r + len - 8) != 0) {
                staleCookies++;
            }
            out.writeByte(SecurePacketType.COOKIE_REPLY.firstByte(0));
            out.writeLong(initiatorId);
            out.writeBytes(cookies.cookieFor(from, nowNs));
            return Result.COOKIE_SENT;
        }
        if (table.full()) {
            return Result.DROPPED_TABLE_FULL;
        }
        table.makeRoom();
        final long localId = table.newLocalId(random);
        final ResponderHandshake job = new ResponderHandshake(suite, initiatorId, localId, from, msg1, config, random);
        table.add(new HalfOpenTable.Entry(initiatorId, localId, Arrays.copyOf(msg1, 32),
                nowNs + config.handshakeTimeoutNs(), from, job));
        starts.record(nowNs);
        started = job;
        return Result.STARTED;
    }

    /** @return the job of the last {@link Result#STARTED}, once (then null) */
    public ResponderHandshake takeStarted() {
        final ResponderHandshake job = started;
        started = null;
        return job;
    }

    /**
     * Takes back a job from {@link #beginInitiation} or {@link #beginFinish} after
     * {@link ResponderHandshake#compute()} ran: checks the initiator's key against the policy (here, on the
     * responder's thread, since a policy may learn keys), keeps the handshake (half-open, or completed into
     * {@link #pollEstablished()}) and, for an initiation, appends the RESPONSE to {@code out} (null for a FINISH).
     * A job whose handshake was forgotten meanwhile (expired) returns {@link Result#DROPPED_EXPIRED}, writing
     * nothing. Pass {@code nowNs} as the current time; a job whose work was never run must go to {@link #abandon}.
     */
    public Result finishHandshake(final ResponderHandshake job, final long nowNs, final ByteBuf out) {
        handleTimeout(nowNs);
        final HalfOpenTable.Entry entry = table.byInitiator(job.initiatorId);
        if (entry == null || entry.job != job) {
            return Result.DROPPED_EXPIRED;
        }
        entry.job = null;
        if (job.finish) {
            return finishFinish(entry, job);
        }
        if (job.failed) {
            table.forgetNow(entry);
            return Result.DROPPED_DECRYPT_FAILED;
        }
        final PeerKey remote = job.noise.remoteStatic();
        if (remote != null && !config.policy().accepts(peerName(job.from), remote)) {
            table.forgetNow(entry);
            return Result.DROPPED_POLICY;
        }
        entry.noise = job.noise;
        entry.response = job.response;
        if (job.split != null) {
            complete(entry, job.split);
        }
        out.writeBytes(job.response);
        return Result.RESPONDED;
    }

    /** A FINISH that fails leaves its entry to expire: a copy of the initiation still gets the cached response. */
    private Result finishFinish(final HalfOpenTable.Entry entry, final ResponderHandshake job) {
        if (job.failed) {
            return Result.DROPPED_DECRYPT_FAILED;
        }
        if (!config.policy().accepts(peerName(entry.from), job.noise.remoteStatic())) {
            return Result.DROPPED_POLICY;
        }
        entry.noise = job.noise;
        complete(entry, job.split);
        return Result.ESTABLISHED;
    }

    /** Forgets an admitted handshake whose work will never run (the worker queue was full). */
    public void abandon(final ResponderHandshake job) {
        final HalfOpenTable.Entry entry = table.byInitiator(job.initiatorId);
        if (entry != null && entry.job == job) {
            entry.job = null;
            table.forgetNow(entry);
        }
    }

    /** Handles a FINISH (XX message 3, borrowed): the checks of {@link #beginFinish}, then the work inline. */
    public Result handleFinish(final ByteBuf datagram, final long nowNs) {
        final Result r = beginFinish(datagram, nowNs);
        if (r != Result.STARTED) {
            return r;
        }
        final ResponderHandshake job = takeStarted();
        job.compute();
        return finishHandshake(job, nowNs, null);
    }

    /**
     * The cheap part of a FINISH (borrowed): lengths and a half-open handshake for its id, which it takes (a copy
     * of the FINISH then finds none). Returns {@link Result#STARTED} with the job in {@link #takeStarted()}.
     */
    public Result beginFinish(final ByteBuf datagram, final long nowNs) {
        handleTimeout(nowNs);
        final int len = datagram.readableBytes();
        final int r = datagram.readerIndex();
        if (len < HandshakeCodec.REPLY_HEADER_BYTES
                || datagram.getUnsignedByte(r) != SecurePacketType.FINISH.firstByte(0)) {
            return Result.DROPPED_MALFORMED;
        }
        final HalfOpenTable.Entry entry = table.byLocal(datagram.getLong(r + 1));
        if (entry == null || entry.noise == null) {
            return Result.DROPPED_UNKNOWN_ID;
        }
        if (len != HandshakeCodec.finishBytes(entry.noise.pattern())) {
            return Result.DROPPED_MALFORMED;
        }
        final byte[] msg3 = new byte[len - HandshakeCodec.REPLY_HEADER_BYTES];
        datagram.getBytes(r + HandshakeCodec.REPLY_HEADER_BYTES, msg3);
        table.takeForFinish(entry);
        final ResponderHandshake job = new ResponderHandshake(entry.noise, entry.initiatorId, entry.localId,
                entry.from, msg3);
        entry.noise = null; // the job owns the Noise state until it comes back
        entry.job = job;
        started = job;
        return Result.STARTED;
    }

    /** @return the next completed handshake, or null */
    public HandshakeOutcome pollEstablished() {
        return established.poll();
    }

    /** Forgets half-open handshakes older than the handshake timeout. Early calls are harmless. */
    public void handleTimeout(final long nowNs) {
        table.expire(nowNs);
    }

    private boolean underLoad(final long nowNs) {
        if (table.halfOpenCount() >= config.cookieThreshold()) {
            return true;
        }
        return starts.exceeded(nowNs, LOAD_WINDOW_NS);
    }

    /** @return when the oldest half-open handshake expires, or {@link #NO_DEADLINE} */
    public long nextDeadlineNs() {
        return table.nextDeadlineNs();
    }

    /** @return handshakes started and not completed (completed ones kept to answer retransmissions not counted) */
    public int halfOpenCount() {
        return table.halfOpenCount();
    }

    /** @return handshakes remembered: half-open, or completed and kept to answer retransmitted initiations */
    public int rememberedCount() {
        return table.rememberedCount();
    }

    /** @return initiations whose mac2 was present but no longer valid (an expired or foreign cookie) */
    public long staleCookies() {
        return staleCookies;
    }

    /** @return initiations refused (with a {@link CipherRefusal}) because they proposed a cipher not accepted here */
    public long cipherRefused() {
        return cipherRefused;
    }

    /** @return fallback initiations refused because this side accepts the cipher they say was refused (forgery) */
    public long downgradesRefused() {
        return downgradesRefused;
    }

    private void complete(final HalfOpenTable.Entry entry, final CipherState[] split) {
        final PeerKey peerKey = entry.noise.remoteStatic();
        established.add(new HandshakeOutcome(new PacketProtection(split[1].cipher(), split[1].keyCopy(),
                split[0].keyCopy(), entry.localId, entry.initiatorId, config.protection()), entry.localId,
                entry.initiatorId, peerKey, entry.noise.handshakeHash(), entry.noise.pattern(), entry.from));
        table.completed(entry);
    }

    /** @return {@code host:port} for the policy, or null when the policy says it does not read names */
    private String peerName(final InetSocketAddress from) {
        return config.policy().readsPeerName() ? from.getAddress().getHostAddress() + ":" + from.getPort() : null;
    }
}
