package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.InputResult;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;
import io.shoal.rudp.kcp.SendResult;
import io.shoal.rudp.session.SecureConnection.State;

/**
 * The {@link KcpEngine} of one established {@link SecureConnection} (its conv taken from the handshake hash), as
 * the application and the peer's DATA reach it, and the events it raises: {@link SessionEvent.Readable} once per
 * readable spell (re-armed when a read leaves nothing ready), {@link SessionEvent.Writable} from the engine while
 * ESTABLISHED, and the end of the connection when the engine declares the link dead. One thread only.
 */
final class ConnectionStream {
    private final KcpEngine engine;
    private final SecureConnection connection;
    private final SecureConnection.Owner owner;
    private final ConnectionLifecycle life;
    private boolean readableSignalled;
    /**
     * Whether the engine may hold pooled buffers or rings since it last released them: set by every input that can
     * make it allocate (send, data, timers), cleared by {@link #releaseIdleMemory}.
     */
    private boolean holdsMemory = true;

    /** Starts the engine's clock at {@code nowNs}, as the first {@code ikcp_update} would. */
    ConnectionStream(final byte[] handshakeHash, final KcpConfig kcp, final long nowNs,
                     final SecureConnection connection, final SecureConnection.Owner owner,
                     final ConnectionLifecycle life) {
        final byte[] h = handshakeHash;
        final int conv = (h[0] & 0xFF) << 24 | (h[1] & 0xFF) << 16 | (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
        this.engine = new KcpEngine(conv, kcp);
        this.engine.handleTimeout(nowNs);
        this.connection = connection;
        this.owner = owner;
        this.life = life;
    }

    /** @return the engine, for the parts that seal its datagrams and wait for its acknowledgements */
    KcpEngine engine() {
        return engine;
    }

    /** Queues {@code data} (taking ownership); see {@link SecureConnection#send}. */
    SendResult send(final long nowNs, final ByteBuf data) {
        holdsMemory = true;
        return engine.send(nowNs, data);
    }

    /** @return the next message or run of bytes (the caller's), or null */
    ByteBuf pollMessage() {
        final ByteBuf m = engine.pollMessage();
        afterRead();
        return m;
    }

    /** Copies ready bytes into {@code dst}; returns the count. */
    int receive(final ByteBuf dst) {
        final int n = engine.receive(dst);
        afterRead();
        return n;
    }

    /**
     * The plaintext of a DATA packet (borrowed, but its bytes must not change afterwards: the engine keeps its
     * payloads as retained slices, {@link KcpEngine#handleSharedDatagram}); returns null when used, else why it was
     * dropped.
     */
    DropReason handleData(final long nowNs, final ByteBuf plaintext) {
        if (!plaintext.isReadable() || life.state() == State.CLOSED) {
            return null; // a keepalive, or data after the end: authenticated, nothing to do
        }
        holdsMemory = true;
        final InputResult r = engine.handleSharedDatagram(nowNs, plaintext);
        drainEvents(nowNs);
        if (!readableSignalled && engine.peekSize() >= 0) {
            readableSignalled = true;
            owner.event(new SessionEvent.Readable(connection));
        }
        life.maybeSendClose(nowNs);
        return r == InputResult.ACCEPTED ? null : DropReason.BAD_PAYLOAD;
    }

    /** Runs the engine's timers. */
    void handleTimeout(final long nowNs) {
        holdsMemory = true;
        engine.handleTimeout(nowNs);
        drainEvents(nowNs);
    }

    /** @return when the engine has work, or {@link Deadlines#NONE} when idle */
    long nextDeadlineNs() {
        // An idle engine's interval tick does nothing; skipping it is what lets 10,000 idle connections cost ~0 CPU.
        // Its pooled buffers and rings go back only after a quiet spell (IdleMemoryRelease): a bulk receiver is idle
        // after every drained read batch and would otherwise reallocate its segments on the next one.
        return engine.isIdle() ? Deadlines.NONE : engine.nextDeadlineNs();
    }

    /** @return whether the engine may hold memory {@link #releaseIdleMemory} would give back */
    boolean holdsIdleMemory() {
        return holdsMemory;
    }

    /** Gives the idle engine's pooled buffers and rings back ({@link KcpEngine#releaseIdleMemory}). */
    void releaseIdleMemory() {
        engine.releaseIdleMemory();
        holdsMemory = false;
    }

    /** Frees the engine's buffers. Idempotent. */
    void close() {
        engine.close();
    }

    private void drainEvents(final long nowNs) {
        KcpEvent e;
        while ((e = engine.pollEvent()) != null) {
            if (e == KcpEvent.LINK_DEAD) {
                life.end(nowNs, CloseReason.PEER_DEAD);
            } else if (life.state() == State.ESTABLISHED) {
                owner.event(new SessionEvent.Writable(connection));
            }
        }
    }

    private void afterRead() {
        if (engine.peekSize() < 0) {
            readableSignalled = false;
        }
        owner.changed(connection); // reading may reopen the receive window: the engine may want to tell the peer
    }
}
