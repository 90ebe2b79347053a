package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.kcp.InputResult;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;
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
 * <p>Parts: {@link InitiatorHandshakeDriver} (the initiator's handshake), {@link SealedOutput} (what goes on the
 * wire, sealed), {@link ConnectionPath} (path migration), {@link CloseExchange} (the graceful close's timers).
 */
public final class SecureConnection extends DeadlineQueue.Entry {
    /** Lifecycle states. */
    public enum State { HANDSHAKING, ESTABLISHED, CLOSING, CLOSED }

    /** How long a gracefully closed connection answers a repeated CLOSE. */
    public static final long LINGER_NS = 2_000_000_000L;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** The endpoint side of a connection: where events go and who reschedules it. */
    interface Owner {
        void event(SessionEvent event);

        void changed(SecureConnection connection);
    }

    private final RudpConfig config;
    private final Owner owner;
    private final SecureRandom random;
    private final long localId;
    /** Null for an accepted connection. */
    private final InitiatorHandshakeDriver handshake;
    private final SealedOutput output;
    private InetSocketAddress initialRemote;
    private State state;
    private PacketProtection protection;
    private KcpEngine engine;
    private ConnectionPath path;
    private PeerKey peerKey;
    private HandshakePattern pattern;
    private CloseReason closeReason;
    private HandshakeFailure handshakeFailure;
    private String peerCloseText;
    private boolean readableSignalled;
    private final CloseExchange closing = new CloseExchange();
    private long lastReceiveNs;
    private long lingerUntilNs = NO_DEADLINE;
    private Object attachment;
    /** The deadline the endpoint's heap holds this connection at; written only by the endpoint. */
    long scheduledNs;
    /** Whether the endpoint's transmit queue holds this connection; written only by the endpoint. */
    boolean dirty;

    /** An initiating connection; {@link #start} sends the first handshake packet. */
    SecureConnection(final RudpConfig config, final Owner owner, final ByteBufAllocator alloc, final SecureRandom random,
                     final long localId, final InetSocketAddress remote, final String peerName) {
        this.config = config;
        this.owner = owner;
        this.random = random;
        this.output = new SealedOutput(alloc, this::onPacketNumbersExhausted);
        this.localId = localId;
        this.initialRemote = remote;
        this.handshake = new InitiatorHandshakeDriver(new SecureInitiator(config.handshake(), peerName, localId,
                random), alloc, output);
        this.state = State.HANDSHAKING;
    }

    /** An accepted connection from a completed server-side handshake. */
    SecureConnection(final RudpConfig config, final Owner owner, final ByteBufAllocator alloc, final SecureRandom random,
                     final HandshakeOutcome outcome, final long nowNs) {
        this.config = config;
        this.owner = owner;
        this.random = random;
        this.output = new SealedOutput(alloc, this::onPacketNumbersExhausted);
        this.localId = outcome.localConnectionId();
        this.initialRemote = outcome.peerAddress();
        this.handshake = null;
        establish(outcome, nowNs);
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
        return state;
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
        return closeReason;
    }

    /** @return the handshake failure behind {@link CloseReason#HANDSHAKE_FAILED}, or null */
    public HandshakeFailure handshakeFailure() {
        return handshakeFailure;
    }

    /** @return the reason text the peer put in its CLOSE, or null */
    public String peerCloseText() {
        return peerCloseText;
    }

    /** @return whether {@link #send} would take data now */
    public boolean isWritable() {
        return state == State.ESTABLISHED && engine.isWritable();
    }

    /** @return whether the engine is in stream mode (bytes) rather than message mode */
    public boolean isStream() {
        return config.kcp().stream();
    }

    /** @return the statistics snapshot */
    public ConnectionStats stats() {
        return new ConnectionStats(state, engine == null ? null : engine.stats(),
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
        if (state != State.ESTABLISHED) {
            data.release();
            return SendResult.CLOSED;
        }
        final SendResult r = engine.send(nowNs, data);
        owner.changed(this);
        return r;
    }

    /** @return the next message (message mode) or run of bytes (stream mode), owned by the caller, or null */
    public ByteBuf pollMessage() {
        if (engine == null) {
            return null;
        }
        final ByteBuf m = engine.pollMessage();
        afterRead();
        return m;
    }

    /** Copies ready bytes into {@code dst}'s writable space; returns the count (0 when none). */
    public int receive(final ByteBuf dst) {
        if (engine == null) {
            return 0;
        }
        final int n = engine.receive(dst);
        afterRead();
        return n;
    }

    /** Graceful close: flush both directions, exchange CLOSE. {@code reason} may be null. */
    public void close(final long nowNs, final String reason) {
        if (state == State.HANDSHAKING) {
            closeWith(nowNs, CloseReason.LOCAL_CLOSE, 0);
        } else if (state == State.ESTABLISHED) {
            state = State.CLOSING;
            closing.startLocally(reason);
            closing.arm(nowNs, config.closeTimeoutNs());
            maybeSendClose(nowNs);
        }
        owner.changed(this);
    }

    /** Abortive close: drop queued data, send one abortive CLOSE, end now. {@code reason} may be null. */
    public void abort(final long nowNs, final String reason) {
        if (state == State.ESTABLISHED || state == State.CLOSING) {
            output.sendClose(ClosePayload.ABORT, reason, remoteAddress());
        }
        if (state != State.CLOSED) {
            closeWith(nowNs, CloseReason.LOCAL_ABORT, 0);
        }
        owner.changed(this);
    }

    // ------------------------------------------------------------------------------------------------ inputs

    /** A RESPONSE or COOKIE_REPLY for this initiator; returns false when it was ignored. */
    boolean handleHandshakeReply(final long nowNs, final ByteBuf datagram) {
        if (handshake == null || state == State.CLOSED) {
            return false;
        }
        final SecureInitiator.Result r = handshake.handleReply(nowNs, datagram, remoteAddress());
        if (r == SecureInitiator.Result.ESTABLISHED) {
            establish(handshake.outcome(), nowNs);
            owner.event(new SessionEvent.Established(this));
        } else if (r == SecureInitiator.Result.FAILED) {
            handshakeFailure = handshake.failure();
            closeWith(nowNs, CloseReason.HANDSHAKE_FAILED, 0);
        }
        return r != SecureInitiator.Result.IGNORED;
    }

    /**
     * A key-protected packet for this connection (borrowed); {@code scratch} is the endpoint's reusable plaintext
     * buffer. Returns null when the packet was used, else why it was dropped.
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
        lastReceiveNs = nowNs;
        if (handshake != null) {
            handshake.confirm();
        }
        if (state != State.CLOSED) {
            path.onAuthenticatedPacket(from, datagram.readableBytes(), nowNs);
        }
        switch (protection.lastType()) {
            case DATA:
                return handleData(nowNs, scratch);
            case PATH_CHALLENGE:
                return path.handleChallenge(from, scratch, state != State.CLOSED);
            case PATH_RESPONSE:
                return path.handleResponse(from, scratch, state != State.CLOSED);
            case CLOSE:
                return handleClose(nowNs, scratch);
            default:
                return DropReason.MALFORMED;
        }
    }

    /** Runs due timers; early calls are harmless. */
    void handleTimeout(final long nowNs) {
        if (state == State.HANDSHAKING) {
            if (handshake.handleTimeout(nowNs, initialRemote)) {
                handshakeFailure = handshake.failure();
                closeWith(nowNs, CloseReason.HANDSHAKE_FAILED, 0);
            }
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (nowNs - (lastReceiveNs + config.idleTimeoutNs()) >= 0) {
            closeWith(nowNs, CloseReason.IDLE_TIMEOUT, 0);
            return;
        }
        if (handshake != null) {
            handshake.resendFinish(nowNs, remoteAddress());
        }
        engine.handleTimeout(nowNs);
        drainEngineEvents(nowNs);
        if (state == State.CLOSED) {
            return;
        }
        path.handleTimeout(nowNs);
        maybeSendClose(nowNs);
        if (state != State.CLOSED) {
            output.maybeSendKeepalive(nowNs, config.keepaliveNs(), remoteAddress());
        }
    }

    /** @return the earliest time {@link #handleTimeout} has work */
    long nextDeadlineNs() {
        if (state == State.HANDSHAKING) {
            return handshake.nextDeadlineNs();
        }
        if (state == State.CLOSED) {
            return lingerUntilNs;
        }
        // An idle engine's interval tick does nothing; skipping it is what lets 10,000 idle connections cost ~0 CPU.
        // Its pooled buffers and rings go back too, so an idle connection costs little heap.
        final boolean idle = engine.isIdle();
        if (idle) {
            engine.releaseIdleMemory();
        }
        long d = earlier(idle ? NO_DEADLINE : engine.nextDeadlineNs(), path.nextDeadlineNs());
        d = earlier(d, lastReceiveNs + config.idleTimeoutNs());
        if (config.keepaliveNs() > 0) {
            d = earlier(d, output.lastSendNs() + config.keepaliveNs());
        }
        if (handshake != null) {
            d = earlier(d, handshake.nextDeadlineNs());
        }
        return earlier(d, closing.deadlineNs());
    }

    /** @return true once a closed connection has sent its last packet and lingered long enough to be freed */
    boolean isFinished(final long nowNs) {
        return state == State.CLOSED && nowNs - lingerUntilNs >= 0 && output.isEmpty();
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
        return state == State.ESTABLISHED || state == State.CLOSING ? path.validatedPath() : null;
    }

    /** Frees the engine and anything queued; the connection is unusable afterwards. Idempotent. */
    void release() {
        output.release();
        if (engine != null) {
            engine.close();
        }
    }

    /** Ends the connection as the endpoint shuts down. */
    void shutdown(final long nowNs) {
        if (state != State.CLOSED) {
            closeWith(nowNs, CloseReason.ENDPOINT_CLOSED, 0);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void establish(final HandshakeOutcome outcome, final long nowNs) {
        protection = outcome.protection();
        peerKey = outcome.peerKey();
        pattern = outcome.pattern();
        final byte[] h = outcome.handshakeHash();
        final int conv = (h[0] & 0xFF) << 24 | (h[1] & 0xFF) << 16 | (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
        engine = new KcpEngine(conv, config.kcp());
        engine.handleTimeout(nowNs); // start the engine's clock, as the first ikcp_update would
        path = new ConnectionPath(initialRemote, random, config.pathRetryNs(), output);
        output.keyed(protection, engine, nowNs);
        lastReceiveNs = nowNs;
        state = State.ESTABLISHED;
    }

    private DropReason handleData(final long nowNs, final ByteBuf plaintext) {
        if (!plaintext.isReadable() || state == State.CLOSED) {
            return null; // a keepalive, or data after the end: authenticated, nothing to do
        }
        final InputResult r = engine.handleDatagram(nowNs, plaintext);
        drainEngineEvents(nowNs);
        if (!readableSignalled && engine.peekSize() >= 0) {
            readableSignalled = true;
            owner.event(new SessionEvent.Readable(this));
        }
        maybeSendClose(nowNs);
        return r == InputResult.ACCEPTED ? null : DropReason.BAD_PAYLOAD;
    }

    private DropReason handleClose(final long nowNs, final ByteBuf plaintext) {
        final int kind = ClosePayload.kind(plaintext);
        if (kind < 0) {
            return DropReason.MALFORMED;
        }
        if (peerCloseText == null) {
            peerCloseText = ClosePayload.reason(plaintext);
        }
        if (kind == ClosePayload.ABORT) {
            closeWith(nowNs, CloseReason.PEER_ABORT, 0);
            return null;
        }
        if (state == State.CLOSED) {
            if (closing.sent() && closeReason != CloseReason.LOCAL_ABORT) {
                // our CLOSE was lost: answer the repeat
                output.sendClose(ClosePayload.GRACEFUL, closing.localText(), remoteAddress());
            }
            return null;
        }
        closing.onPeerClose();
        if (state == State.ESTABLISHED) {
            state = State.CLOSING;
            closing.arm(nowNs, config.closeTimeoutNs());
        }
        maybeSendClose(nowNs);
        return null;
    }

    /** Sends our CLOSE once everything we sent is acknowledged; ends when both CLOSEs are exchanged. */
    private void maybeSendClose(final long nowNs) {
        if (state != State.CLOSING) {
            return;
        }
        if (closing.expired(nowNs)) {
            output.sendClose(ClosePayload.ABORT, "close timed out", remoteAddress());
            closeWith(nowNs, CloseReason.CLOSE_TIMEOUT, 0);
            return;
        }
        if (closing.due(nowNs, engine.waitSendSegments() == 0)) {
            output.sendClose(ClosePayload.GRACEFUL, closing.localText(), remoteAddress());
            closing.onSent(nowNs, engine.stats().rtoMs() * 1_000_000L);
        }
        if (closing.complete()) {
            closeWith(nowNs, closing.reason(), LINGER_NS);
        }
    }

    private void drainEngineEvents(final long nowNs) {
        KcpEvent e;
        while ((e = engine.pollEvent()) != null) {
            if (e == KcpEvent.LINK_DEAD) {
                closeWith(nowNs, CloseReason.PEER_DEAD, 0);
            } else if (state == State.ESTABLISHED) {
                owner.event(new SessionEvent.Writable(this));
            }
        }
    }

    private void closeWith(final long nowNs, final CloseReason reason, final long lingerNs) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        closing.stop();
        lingerUntilNs = nowNs + lingerNs;
        owner.event(new SessionEvent.Closed(this, reason));
    }

    private void afterRead() {
        if (engine.peekSize() < 0) {
            readableSignalled = false;
        }
        owner.changed(this); // reading may reopen the receive window: the engine may want to tell the peer
    }

    /** Packet numbers used up (at {@code lastSendNs}): no nonce is ever reused, so the connection ends. */
    private void onPacketNumbersExhausted(final long lastSendNs) {
        closeWith(lastSendNs, CloseReason.PACKET_NUMBERS_EXHAUSTED, 0);
    }

    /** The earlier of two deadlines, either of which may be {@link #NO_DEADLINE}; compared by subtraction. */
    static long earlier(final long a, final long b) {
        if (a == NO_DEADLINE) {
            return b;
        }
        if (b == NO_DEADLINE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }
}
