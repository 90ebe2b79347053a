package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.collection.LongObjectHashMap;
import io.shoal.rudp.packet.CookieValidator;
import io.shoal.rudp.packet.DatagramDemux;
import io.shoal.rudp.packet.DatagramKind;
import io.shoal.rudp.packet.HandshakeOutcome;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.ResponderHandshake;
import io.shoal.rudp.packet.SecurePacketType;
import io.shoal.rudp.packet.SecureResponder;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One UDP socket's worth of secure connections, sans-IO (quinn-proto's {@code Endpoint}): it does no I/O and reads
 * no clock. Inputs: {@link #handleDatagram} (borrowed; routed by {@link DatagramDemux}, then by connection id in a
 * map, never by address; initiations go to a {@link SecureResponder}), {@link #handleTimeout}, and the commands
 * {@link #connect} and those on each {@link SecureConnection}. After every input drain, in this order,
 * {@link #pollTransmit()} until null, {@link #nextDeadlineNs()} (one deadline heap over all connections, no scan),
 * {@link #pollEvent()} until null. Drops are counted by {@link DropReason}, never thrown. One thread only.
 */
public final class SecureEndpoint implements SecureConnection.Owner, AutoCloseable {
    /** {@link #nextDeadlineNs()} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final RudpConfig config;
    private final ByteBufAllocator alloc;
    private final SecureRandom random;
    private final SecureResponder responder;
    /** Null: initiations are answered inline, on this thread. */
    private final HandshakeOffload offload;
    /** DATA that arrived while its connection's FINISH was being computed. */
    private final EarlyDataParking early = new EarlyDataParking();
    /** By local connection id; a primitive-keyed map, so routing a packet boxes nothing. */
    private final LongObjectHashMap<SecureConnection> connections = new LongObjectHashMap<>();
    /** Which connections have output to drain (the dirty queue) and when each is due (the deadline heap). */
    private final ConnectionSchedule schedule = new ConnectionSchedule(connections);
    private final ArrayDeque<Transmit> stateless = new ArrayDeque<>();
    private final ArrayDeque<SessionEvent> events = new ArrayDeque<>();
    private final List<SecureConnection> due = new ArrayList<>();
    /**
     * Where key-protected packets are opened; replaced by a new one whenever a connection's engine kept slices of
     * it (DATA payloads waiting to be read), else reused, as it is for ACK-only and control packets.
     */
    private ByteBuf plaintext;
    private final EndpointCounters counters = new EndpointCounters();
    private long nowNs;
    private boolean closed;

    /**
     * @param accepting whether this socket answers initiations (a server); a client-only socket drops them
     * @param random source of connection ids, ephemeral keys and path challenges
     */
    public SecureEndpoint(final RudpConfig config, final boolean accepting, final ByteBufAllocator alloc,
                          final SecureRandom random) {
        this(config, accepting, alloc, random, null);
    }

    /**
     * A socket whose admitted initiations have their Diffie-Hellman work done through {@code offload} (null: inline);
     * each computed job must come back through {@link #handleComputedHandshake} on this endpoint's thread.
     * {@code random} is then used from the offload's threads too, so it must be thread-safe ({@link SecureRandom}
     * is).
     */
    public SecureEndpoint(final RudpConfig config, final boolean accepting, final ByteBufAllocator alloc,
                          final SecureRandom random, final HandshakeOffload offload) {
        this.offload = accepting ? offload : null;
        this.config = config;
        this.alloc = alloc;
        this.random = random;
        this.responder = accepting
                ? new SecureResponder(config.handshake(), new CookieValidator(random), random) : null;
        this.plaintext = newPlaintextBuffer();
    }

    /** Starts a connection to {@code remote}, known to the peer-key policy as {@code peerName}. */
    public SecureConnection connect(final long nowNs, final InetSocketAddress remote, final String peerName) {
        this.nowNs = nowNs;
        final long id = ConnectionIds.fresh(connections, random);
        final SecureConnection c = new SecureConnection(config, this, alloc, random, id, remote, peerName);
        connections.put(id, c);
        c.start(nowNs);
        changed(c);
        return c;
    }

    /** Handles one datagram from {@code from}; borrows it (indexes and reference count untouched). */
    public void handleDatagram(final long nowNs, final InetSocketAddress from, final ByteBuf datagram) {
        this.nowNs = nowNs;
        counters.received(datagram);
        final DatagramKind kind = DatagramDemux.classify(datagram);
        if (kind == DatagramKind.SECURE) {
            handleSecure(nowNs, from, datagram);
        } else if (kind == DatagramKind.UNKNOWN) {
            counters.drop(DropReason.UNKNOWN_KIND);
        } else {
            counters.foreign();
            events.add(new SessionEvent.Foreign(kind, from, datagram.retainedSlice()));
        }
    }

    /** Runs every connection whose deadline has passed, each once; early calls are harmless. */
    public void handleTimeout(final long nowNs) {
        this.nowNs = nowNs;
        if (responder != null) {
            responder.handleTimeout(nowNs);
        }
        for (SecureConnection c; (c = schedule.pollDue(nowNs)) != null; ) {
            due.add(c);
        }
        for (int i = 0; i < due.size(); i++) {
            final SecureConnection c = due.get(i);
            c.handleTimeout(nowNs);
            if (c.isFinished(nowNs)) {
                free(c);
            } else {
                changed(c);
            }
        }
        due.clear();
    }

    /** @return the next datagram to send (the caller owns it), or null when there is nothing more now */
    public Transmit pollTransmit() {
        Transmit t = stateless.poll();
        if (t == null) {
            t = schedule.pollTransmit(nowNs);
        }
        if (t != null) {
            counters.sent(t.datagram());
        }
        return t;
    }

    /**
     * Hands every datagram ready now to {@code sink}, in the order {@link #pollTransmit()} would return them, without
     * a {@link Transmit} per datagram: handshake replies first, then each connection that has output, drained whole
     * (its DATA packets sealed straight from the engine's datagrams), so a connection's datagrams reach the sink
     * back to back and a socket shell can join them into segmented writes.
     *
     * @return datagrams handed over
     */
    public int drainTransmits(final DatagramSink sink) {
        final long before = counters.datagramsOut();
        final DatagramSink counting = counters.countingTo(sink);
        Transmit t;
        while ((t = stateless.poll()) != null) {
            counting.send(t.datagram(), t.destination());
        }
        schedule.drainTo(nowNs, counting);
        counters.countingTo(null);
        return (int) (counters.datagramsOut() - before);
    }

    /** @return the earliest time {@link #handleTimeout} has work, or {@link #NO_DEADLINE} */
    public long nextDeadlineNs() {
        final long d = schedule.nextDeadlineNs();
        return responder == null ? d : Deadlines.earlier(d, responder.nextDeadlineNs());
    }

    /** @return the next event, or null */
    public SessionEvent pollEvent() {
        return events.poll();
    }

    /** @return the connection with local id {@code id}, or null */
    public SecureConnection connection(final long id) {
        return connections.get(id);
    }

    /** @return the connections held (a view; do not modify while driving) */
    public Collection<SecureConnection> connections() {
        return connections.values();
    }

    /** @return the counters */
    public EndpointStats stats() {
        return counters.stats(connections.size(), responder == null ? 0 : responder.halfOpenCount());
    }

    /** Ends every connection (CLOSED with ENDPOINT_CLOSED, no packets sent) and releases every buffer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        early.releaseAll();
        for (SecureConnection c : new ArrayList<>(connections.values())) {
            c.shutdown(nowNs);
            free(c);
        }
        Transmit t;
        while ((t = stateless.poll()) != null) {
            t.datagram().release();
        }
        SessionEvent e;
        while ((e = events.poll()) != null) {
            if (e instanceof SessionEvent.Foreign f) {
                f.datagram().release();
            }
        }
        plaintext.release();
    }

    private ByteBuf newPlaintextBuffer() {
        return alloc.heapBuffer(Math.max(config.mtuBytes(), 1500));
    }

    @Override
    public void event(final SessionEvent event) {
        if (event instanceof SessionEvent.Established) {
            counters.handshakeCompleted();
        }
        events.add(event);
    }

    @Override
    public long renumber(final SecureConnection c, final long oldLocalId) {
        return ConnectionIds.move(connections, c, oldLocalId, random);
    }

    @Override
    public void changed(final SecureConnection c) {
        schedule.changed(c);
    }

    private void handleSecure(final long nowNs, final InetSocketAddress from, final ByteBuf datagram) {
        final int r = datagram.readerIndex();
        final SecurePacketType type = SecurePacketType.of(datagram.getUnsignedByte(r));
        switch (type) {
            case INITIATION:
            case FINISH:
                handleHandshake(nowNs, from, datagram, type);
                return;
            case RESPONSE:
            case COOKIE_REPLY: {
                final SecureConnection c = connections.get(datagram.getLong(r + 1));
                if (c == null) {
                    counters.drop(DropReason.UNKNOWN_CONNECTION_ID);
                } else {
                    if (!c.handleHandshakeReply(nowNs, datagram)) {
                        counters.drop(DropReason.STRAY_HANDSHAKE);
                    }
                    changed(c);
                }
                return;
            }
            default: {
                if (datagram.readableBytes() < PacketProtection.OVERHEAD_BYTES) {
                    counters.drop(DropReason.MALFORMED);
                    return;
                }
                final long id = datagram.getLong(r + 1);
                final SecureConnection c = connections.get(id);
                if (c == null) {
                    if (!early.park(id, from, datagram, alloc)) {
                        counters.drop(DropReason.UNKNOWN_CONNECTION_ID);
                    }
                    return;
                }
                final DropReason why = c.handlePacket(nowNs, from, datagram, plaintext);
                if (plaintext.refCnt() > 1) { // the engine holds slices of it: those bytes are the application's
                    plaintext.release();
                    plaintext = newPlaintextBuffer();
                }
                if (why != null) {
                    counters.drop(why);
                }
                schedule.markDirty(c); // its deadline is recomputed once, when the read batch is drained
            }
        }
    }

    private void handleHandshake(final long nowNs, final InetSocketAddress from, final ByteBuf datagram,
                                 final SecurePacketType type) {
        if (responder == null || connections.size() >= config.maxConnections()) {
            counters.drop(DropReason.NOT_ACCEPTING);
            return;
        }
        final SecureResponder.Result result;
        if (type == SecurePacketType.INITIATION) {
            final ByteBuf out = alloc.heapBuffer(256);
            result = offload == null ? responder.handleInitiation(datagram, from, nowNs, out)
                    : responder.beginInitiation(datagram, from, nowNs, out);
            reply(from, out);
        } else {
            result = offload == null ? responder.handleFinish(datagram, nowNs)
                    : responder.beginFinish(datagram, nowNs);
        }
        if (result == SecureResponder.Result.STARTED) {
            final ResponderHandshake job = responder.takeStarted();
            if (!offload.submit(job)) {
                responder.abandon(job);
                counters.drop(DropReason.HANDSHAKE_QUEUE_FULL);
            } else if (job.isFinish()) {
                early.expect(job.localConnectionId());
            }
            return;
        }
        counters.count(result);
        acceptEstablished(nowNs);
    }

    /**
     * Takes back a handshake whose Diffie-Hellman work ran through the {@link HandshakeOffload}: queues its RESPONSE
     * and, when the handshake is complete (IK), the new connection ({@link SessionEvent.Accepted}). Call on this
     * endpoint's thread, then drain as after any input. A job for a closed endpoint or a forgotten handshake
     * (expired meanwhile) is dropped and counted.
     */
    public void handleComputedHandshake(final long nowNs, final ResponderHandshake job) {
        this.nowNs = nowNs;
        if (closed || responder == null) {
            return;
        }
        try {
            completeComputedHandshake(nowNs, job);
        } finally {
            // A failed handshake leaves no connection: its parked DATA is then dropped and counted as unroutable.
            early.replay(job.localConnectionId(), (from, datagram) -> handleSecure(nowNs, from, datagram));
        }
    }

    private void completeComputedHandshake(final long nowNs, final ResponderHandshake job) {
        if (connections.size() >= config.maxConnections()) {
            responder.abandon(job);
            counters.drop(DropReason.NOT_ACCEPTING);
            return;
        }
        final ByteBuf out = alloc.heapBuffer(256);
        final SecureResponder.Result result = responder.finishHandshake(job, nowNs, out);
        reply(job.from(), out);
        counters.count(result);
        acceptEstablished(nowNs);
    }

    private void reply(final InetSocketAddress to, final ByteBuf out) {
        if (out.isReadable()) {
            stateless.add(new Transmit(to, out));
        } else {
            out.release();
        }
    }

    private void acceptEstablished(final long nowNs) {
        HandshakeOutcome o;
        while ((o = responder.pollEstablished()) != null) {
            if (connections.containsKey(o.localConnectionId())) {
                counters.drop(DropReason.HANDSHAKE_REFUSED); // a 2^-64 id collision with one of our own initiations
                continue;
            }
            final SecureConnection c = new SecureConnection(config, this, alloc, random, o, nowNs);
            connections.put(o.localConnectionId(), c);
            counters.handshakeCompleted();
            events.add(new SessionEvent.Accepted(c));
            changed(c);
        }
    }

    private void free(final SecureConnection c) {
        connections.remove(c.localConnectionId());
        schedule.remove(c);
        c.release();
    }
}
