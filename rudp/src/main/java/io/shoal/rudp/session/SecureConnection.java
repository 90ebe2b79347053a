package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.SendResult;
import io.shoal.rudp.netty.DeadlineQueue;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.packet.HandshakeOutcome;
import io.shoal.rudp.packet.OpenResult;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.SecureInitiator;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * One secure connection, sans-IO: the handshake driver, then {@link PacketProtection} around a {@link KcpEngine}
 * whose segments ride in DATA packets (the KCP conv is taken from the handshake hash; connection ids, not the conv,
 * identify the connection). Owned and driven by a {@link SecureEndpoint}, which routes its packets, runs its timer
 * from one deadline heap and collects its datagrams and events; the application calls the commands
 * ({@link #send}, {@link #pollMessage}, {@link #receive}, {@link #close}, {@link #abort}) on the endpoint's thread.
 *
 * <p>Lifecycle: HANDSHAKING (initiator only) to ESTABLISHED to CLOSING to CLOSED, always with one
 * {@link CloseReason}. Graceful close: a side that wants to close stops taking sends, waits until the peer has
 * acknowledged everything, then sends CLOSE (resent until the peer's CLOSE arrives); a side receiving CLOSE does
 * the same, so both directions are flushed. A closed connection lingers {@link #LINGER_NS} to answer a repeated
 * CLOSE. Abort sends one abortive CLOSE and ends at once. An empty DATA packet is a keepalive, sent after
 * {@code keepaliveNs} without sending; {@code idleTimeoutNs} without an authenticated packet ends the connection.
 * Authenticated packets from a new address start path validation; the path switches when the challenge is echoed.
 *
 * <p>Parts: {@link InitiatorHandshakeDriver} (the initiator's handshake), {@link ConnectionLifecycle} (state and
 * close), {@link ConnectionStream} (the engine and its events), {@link SealedOutput} (what goes on the wire,
 * sealed), {@link ConnectionPath} (path migration), {@link ConnectionTimers} (every timer, in order; the idle
 * timeout and keepalive).
 */
public final class SecureConnection extends DeadlineQueue.Entry {
    /** Lifecycle states. */
    public enum State { HANDSHAKING, ESTABLISHED, CLOSING, CLOSED }

    /** How long a gracefully closed connection answers a repeated CLOSE. */
    public static final long LINGER_NS = 2_000_000_000L;

    /** The endpoint side of a connection: where events go, who reschedules it and routes it by its id. */
    interface Owner {
        void event(SessionEvent event);

        void changed(SecureConnection connection);

        /** A cipher fallback needs a new connection id: route {@code connection} by a fresh one, returned. */
        long renumber(SecureConnection connection, long oldLocalId);
    }

    private final RudpConfig config;
    private final Owner owner;
    private final SecureRandom random;
    /** Changed only by an initiator's cipher fallback (a new attempt under a new id). */
    private long localId;
    /** Null for an accepted connection. */
    private final InitiatorHandshakeDriver handshake;
    private final SealedOutput output;
    private final ConnectionLifecycle life;
    private final ConnectionTimers timers;
    private InetSocketAddress initialRemote;
    private PacketProtection protection;
    /** The engine and its events; null until the handshake completes. */
    private ConnectionStream stream;
    private ConnectionPath path;
    private PeerKey peerKey;
    private HandshakePattern pattern;
    private Object attachment;
    /** The deadline the endpoint's heap holds this connection at; written only by {@link ConnectionSchedule}. */
    long scheduledNs;
    /** Whether the endpoint's transmit queue holds this connection; written only by {@link ConnectionSchedule}. */
    boolean dirty;

    /** An initiating connection; {@link #start} sends the first handshake packet. */
    SecureConnection(final RudpConfig config, final Owner owner, final ByteBufAllocator alloc, final SecureRandom random,
                     final long localId, final InetSocketAddress remote, final String peerName) {
        this(config, owner, alloc, random, localId, remote, true, peerName);
    }

    /** An accepted connection from a completed server-side handshake. */
    SecureConnection(final RudpConfig config, final Owner owner, final ByteBufAllocator alloc, final SecureRandom random,
                     final HandshakeOutcome outcome, final long nowNs) {
        this(config, owner, alloc, random, outcome.localConnectionId(), outcome.peerAddress(), false, null);
        establish(outcome, nowNs);
    }

    private SecureConnection(final RudpConfig config, final Owner owner, final ByteBufAllocator alloc,
                             final SecureRandom random, final long localId, final InetSocketAddress remote,
                             final boolean initiating, final String peerName) {
        this.config = config;
        this.owner = owner;
        this.random = random;
        this.output = new SealedOutput(alloc, this::onPacketNumbersExhausted);
        this.life = new ConnectionLifecycle(this, owner, output, config.closeTimeoutNs());
        this.localId = localId;
        this.initialRemote = remote;
        this.handshake = initiating ? new InitiatorHandshakeDriver(new SecureInitiator(config.handshake(), peerName,
                localId, random, old -> this.localId = owner.renumber(this, old)), alloc, output) : null;
        this.timers = new ConnectionTimers(this, config, life, output, handshake);
    }

    void start(final long nowNs) {
        handshake.start(nowNs, initialRemote);
    }

    // ------------------------------------------------------------------------------------------------ getters

    /** @return the id the peer writes into packets for us; the endpoint routes by it */
    public long localConnectionId() {
        return localId;
    }

    /** @return the lifecycle state */
    public State state() {
        return life.state();
    }

    /** @return true for a connection this side started */
    public boolean isInitiator() {
        return handshake != null;
    }

    /** @return the peer's current validated address */
    public InetSocketAddress remoteAddress() {
        return path != null ? path.validatedPath() : initialRemote;
    }

    /** @return the peer's authenticated static key, or null before the handshake completes */
    public PeerKey peerKey() {
        return peerKey;
    }

    /** @return the Noise pattern the handshake ran (IK when the peer's key was known, XX otherwise), or null */
    public HandshakePattern pattern() {
        return pattern;
    }

    /** @return why the connection closed, or null while open */
    public CloseReason closeReason() {
        return life.closeReason();
    }

    /** @return the handshake failure behind {@link CloseReason#HANDSHAKE_FAILED}, or null */
    public HandshakeFailure handshakeFailure() {
        return handshake == null ? null : handshake.failure();
    }

    /** @return a one-line account of {@link #handshakeFailure()} for people, or null */
    public String handshakeFailureReason() {
        return handshake == null ? null : handshake.failureReason();
    }

    @Override
    public String toString() {
        return "SecureConnection{" + Long.toHexString(localId) + ", " + state() + ", " + remoteAddress()
                + (pattern == null ? "" : ", " + pattern.noiseName() + ", " + protection.cipher().packetCipherName())
                + "}";
    }

    /** @return the reason text the peer put in its CLOSE, or null */
    public String peerCloseText() {
        return life.peerCloseText();
    }

    /** @return whether {@link #send} would take data now */
    public boolean isWritable() {
        return state() == State.ESTABLISHED && stream.engine().isWritable();
    }

    /** @return whether the engine is in stream mode (bytes) rather than message mode */
    public boolean isStream() {
        return config.kcp().stream();
    }

    /** @return the statistics snapshot */
    public ConnectionStats stats() {
        final KcpEngine engine = stream == null ? null : stream.engine();
        return new ConnectionStats(life.state(), engine == null ? null : engine.stats(),
                protection == null ? null : protection.stats(),
                engine == null ? 0 : engine.congestionController().pacingRateBytesPerSecond(),
                output.keepalivesSent(), path == null ? 0 : path.changes());
    }

    /** @return the application's object, or null */
    public Object attachment() {
        return attachment;
    }

    /** Stores an application object with the connection (e.g. its channel). */
    public void attach(final Object value) {
        attachment = value;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Queues data (takes ownership of {@code data}, released on every outcome): one message in message mode, more
     * bytes of the stream in stream mode. Refused with {@link SendResult#CLOSED} unless ESTABLISHED.
     */
    public SendResult send(final long nowNs, final ByteBuf data) {
        if (state() != State.ESTABLISHED) {
            data.release();
            return SendResult.CLOSED;
        }
        final SendResult r = stream.send(nowNs, data);
        owner.changed(this);
        return r;
    }

    /** @return the next message (message mode) or run of bytes (stream mode), owned by the caller, or null */
    public ByteBuf pollMessage() {
        return stream == null ? null : stream.pollMessage();
    }

    /** Copies ready bytes into {@code dst}'s writable space; returns the count (0 when none). */
    public int receive(final ByteBuf dst) {
        return stream == null ? 0 : stream.receive(dst);
    }

    /** Graceful close: flush both directions, exchange CLOSE. {@code reason} may be null. */
    public void close(final long nowNs, final String reason) {
        life.close(nowNs, reason);
        owner.changed(this);
    }

    /** Abortive close: drop queued data, send one abortive CLOSE, end now. {@code reason} may be null. */
    public void abort(final long nowNs, final String reason) {
        life.abort(nowNs, reason);
        owner.changed(this);
    }

    // ------------------------------------------------------------------------------------------------ inputs

    /** A RESPONSE, COOKIE_REPLY or CIPHER_REFUSAL for this initiator; returns false when it was ignored. */
    boolean handleHandshakeReply(final long nowNs, final ByteBuf datagram) {
        if (handshake == null || state() == State.CLOSED) {
            return false;
        }
        final SecureInitiator.Result r = handshake.handleReply(nowNs, datagram, remoteAddress());
        if (r == SecureInitiator.Result.ESTABLISHED) {
            establish(handshake.outcome(), nowNs);
            owner.event(new SessionEvent.Established(this));
        } else if (r == SecureInitiator.Result.FAILED) {
            life.end(nowNs, CloseReason.HANDSHAKE_FAILED);
        }
        return r != SecureInitiator.Result.IGNORED;
    }

    /**
     * A key-protected packet for this connection (borrowed), opened into {@code scratch} (the endpoint's heap buffer,
     * cleared here). The engine keeps a DATA packet's payloads as retained slices of {@code scratch} and hands them
     * to the application (a payload byte is written once on this side, by the AEAD), so when this returns with
     * {@code scratch.refCnt() > 1} the caller must let its reference go and open the next packet into a new buffer.
     * Returns null when the packet was used, else why it was dropped.
     */
    DropReason handlePacket(final long nowNs, final InetSocketAddress from, final ByteBuf datagram,
                            final ByteBuf scratch) {
        if (protection == null) {
            return DropReason.UNKNOWN_CONNECTION_ID;
        }
        scratch.clear();
        final OpenResult opened = protection.open(datagram, scratch, nowNs);
        if (opened != OpenResult.OPENED) {
            return DropReason.of(opened);
        }
        timers.received(nowNs);
        if (handshake != null) {
            handshake.confirm();
        }
        if (state() != State.CLOSED) {
            path.onAuthenticatedPacket(from, datagram.readableBytes(), nowNs);
        }
        switch (protection.lastType()) {
            case DATA:
                return stream.handleData(nowNs, scratch);
            case PATH_CHALLENGE:
                return path.handleChallenge(from, scratch, state() != State.CLOSED);
            case PATH_RESPONSE:
                return path.handleResponse(from, scratch, state() != State.CLOSED);
            case CLOSE:
                return life.handleClose(nowNs, scratch);
            default:
                return DropReason.MALFORMED;
        }
    }

    /** Runs due timers; early calls are harmless. */
    void handleTimeout(final long nowNs) {
        timers.handleTimeout(nowNs);
    }

    /** @return the earliest time {@link #handleTimeout} has work */
    long nextDeadlineNs() {
        return timers.nextDeadlineNs();
    }

    /** @return whether the packet protection holds ciphers an idle spell would release (for tests) */
    boolean holdsCipherState() {
        return protection != null && protection.holdsIdleMemory();
    }

    /** @return whether the engine may hold pooled buffers an idle spell would release (for tests) */
    boolean holdsEngineMemory() {
        return stream != null && stream.holdsIdleMemory();
    }

    /** @return true once a closed connection has sent its last packet and lingered long enough to be freed */
    boolean isFinished(final long nowNs) {
        return life.lingered(nowNs) && output.isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ outputs

    /** @return the next datagram to send (owned by the caller), or null */
    Transmit pollTransmit(final long nowNs) {
        return output.poll(nowNs, dataDestination());
    }

    /**
     * Hands every datagram ready now to {@code sink}: queued control datagrams, then the engine's datagrams, each
     * sealed as DATA into one pooled direct buffer (no {@link Transmit}, no heap copy), as {@link #pollTransmit}
     * would return them one by one.
     */
    void drainTo(final long nowNs, final DatagramSink sink) {
        output.drainTo(nowNs, sink, dataDestination());
    }

    /** @return where DATA goes now, or null while the connection sends no data (handshaking or closed) */
    private InetSocketAddress dataDestination() {
        return life.sendsData() ? path.validatedPath() : null;
    }

    /** Frees the engine and anything queued; the connection is unusable afterwards. Idempotent. */
    void release() {
        output.release();
        if (stream != null) {
            stream.close();
        }
    }

    /** Ends the connection as the endpoint shuts down. */
    void shutdown(final long nowNs) {
        if (state() != State.CLOSED) {
            life.end(nowNs, CloseReason.ENDPOINT_CLOSED);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void establish(final HandshakeOutcome outcome, final long nowNs) {
        protection = outcome.protection();
        peerKey = outcome.peerKey();
        pattern = outcome.pattern();
        stream = new ConnectionStream(outcome.handshakeHash(), config.kcp(), nowNs, this, owner, life);
        path = new ConnectionPath(initialRemote, random, config.pathRetryNs(), output);
        output.keyed(protection, stream.engine(), nowNs);
        timers.established(protection, stream, path, nowNs);
        life.established(stream.engine());
    }

    /** Packet numbers used up (at {@code lastSendNs}): no nonce is ever reused, so the connection ends. */
    private void onPacketNumbersExhausted(final long lastSendNs) {
        life.end(lastSendNs, CloseReason.PACKET_NUMBERS_EXHAUSTED);
    }
}
