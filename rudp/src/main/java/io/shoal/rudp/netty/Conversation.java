package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.InputResult;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;
import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.kcp.SendResult;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One KCP conversation inside a {@link RawKcpHandler}: the engine, its application listener, the bytes the engine
 * could not take yet, and its place in the socket's {@link DeadlineQueue}. Event-loop confined; the thread-safe face
 * is {@link RawKcpConnection}.
 *
 * <p>After every input or command {@link #drive} runs the engine's output protocol: feed pending sends, deliver
 * received data, drain {@code pollDatagram} until null, re-queue {@code nextDeadlineNs()}, drain {@code pollEvent()},
 * then report writability. Listener callbacks may re-enter (an echo server sends from {@code onMessage}); a re-entrant
 * call only asks the running drive for another pass.
 */
final class Conversation extends DeadlineQueue.Entry {
    final RawKcpHandler handler;
    final InetSocketAddress remote;
    final int conv;
    final KcpEngine engine;
    final RawKcpConnection connection;
    RawKcpListener listener;

    private final boolean stream;
    private final int maxMessageBytes;
    private final long idleTimeoutNs;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private long lastInputNs;
    /** Had input in the current read batch and waits for its drive; owned by {@link RawKcpHandler}. */
    boolean dirty;
    private boolean driving;
    private boolean redrive;
    private boolean linkDead;
    private boolean closed;

    Conversation(RawKcpHandler handler, InetSocketAddress remote, int conv, KcpEngine engine, long nowNs,
                 long idleTimeoutNs, long pendingHighWaterBytes) {
        this.handler = handler;
        this.remote = remote;
        this.conv = conv;
        this.engine = engine;
        this.stream = engine.config().stream();
        this.maxMessageBytes = engine.config().maxMessageBytes();
        this.idleTimeoutNs = idleTimeoutNs;
        this.lastInputNs = nowNs;
        this.connection = new RawKcpConnection(this, handler.executor(), pendingHighWaterBytes);
        // Start the engine's clock now, as the first ikcp_update would, so its first deadline is a real one.
        engine.handleTimeout(nowNs);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * A datagram for this conversation; borrowed. Returns false if the engine rejected it as malformed. The outputs
     * are drained once per read batch ({@link RawKcpHandler} calls {@link #drive} at {@code channelReadComplete}),
     * so the engine can coalesce the ACKs of every datagram in the batch into few datagrams.
     */
    boolean input(long nowNs, ByteBuf datagram) {
        if (closed) {
            return true;
        }
        InputResult result = engine.handleDatagram(nowNs, datagram);
        handler.markDirty(this);
        if (result != InputResult.ACCEPTED) {
            return false;
        }
        lastInputNs = nowNs;
        return true;
    }

    /** The queued deadline passed. */
    void timeout(long nowNs) {
        if (closed) {
            return;
        }
        if (idleTimeoutNs > 0 && nowNs - (lastInputNs + idleTimeoutNs) >= 0) {
            close();
            return;
        }
        engine.handleTimeout(nowNs);
        drive(nowNs);
    }

    /** Application bytes, on the loop; takes ownership. Queued in the shell when the engine is full. */
    void send(long nowNs, ByteBuf data) {
        if (closed) {
            data.release();
            return;
        }
        if (pending.isEmpty()) {
            int left = feed(nowNs, data);
            if (left > 0) {
                connection.pendingBytes.addAndGet(left);
                pending.add(data);
            }
        } else {
            connection.pendingBytes.addAndGet(data.readableBytes());
            pending.add(data);
        }
        drive(nowNs);
    }

    /** Application bytes sent from another thread; {@code bytes} were already counted as pending. */
    void sendHopped(long nowNs, ByteBuf data, int bytes) {
        if (closed) {
            connection.pendingBytes.addAndGet(-bytes);
            data.release();
            return;
        }
        pending.add(data);
        drive(nowNs);
    }

    void drive(long nowNs) {
        if (driving) {
            redrive = true;
            return;
        }
        driving = true;
        try {
            do {
                redrive = false;
                feedPending(nowNs);
                deliver();
                if (closed) {
                    return;
                }
                handler.transmit(this);
                handler.reschedule(this, nextDeadlineNs());
                drainEvents();
                if (linkDead) {
                    notifyLinkDead();
                    return;
                }
                updateWritability();
            } while (redrive && !closed);
        } finally {
            driving = false;
        }
    }

    /** Ends the conversation now: unsent data is dropped. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.markClosed(engine.stats());
        engine.close();
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            b.release();
        }
        connection.pendingBytes.set(0);
        handler.forget(this);
        RawKcpListener l = listener;
        if (l != null) {
            try {
                l.onClosed(connection);
            } catch (RuntimeException e) {
                handler.listenerFailed(e);
            }
        }
    }

    KcpStats stats() {
        return engine.stats();
    }

    private long nextDeadlineNs() {
        long d = engine.nextDeadlineNs();
        if (idleTimeoutNs > 0) {
            long idleAt = lastInputNs + idleTimeoutNs;
            if (d == KcpEngine.NO_DEADLINE || idleAt - d < 0) {
                d = idleAt;
            }
        }
        return d;
    }

    private void feedPending(long nowNs) {
        ByteBuf b;
        while ((b = pending.peek()) != null) {
            int before = b.readableBytes();
            int left = feed(nowNs, b);
            connection.pendingBytes.addAndGet(left - before);
            if (left > 0) {
                return;
            }
            pending.poll();
        }
    }

    /**
     * Gives {@code data} to the engine, split at {@code maxMessageBytes} in stream mode. Returns the bytes left when
     * the engine's queue filled (the caller still owns {@code data} then), or 0 when all was taken or dropped (and
     * {@code data} is released).
     */
    private int feed(long nowNs, ByteBuf data) {
        while (true) {
            int readable = data.readableBytes();
            if (!engine.isWritable()) {
                return readable;
            }
            if (readable <= maxMessageBytes || !stream) {
                // Keep a reference so a refused buffer survives the engine's release and can be offered again.
                data.retain();
                SendResult r = engine.send(nowNs, data);
                if (r == SendResult.QUEUE_FULL) {
                    return readable;
                }
                data.release();
                if (r != SendResult.QUEUED) {
                    handler.countDroppedSend();
                }
                return 0;
            }
            SendResult r = engine.send(nowNs, data.retainedSlice(data.readerIndex(), maxMessageBytes));
            if (r == SendResult.QUEUE_FULL) {
                return readable;
            }
            if (r != SendResult.QUEUED) {
                handler.countDroppedSend();
                data.release();
                return 0;
            }
            data.skipBytes(maxMessageBytes);
        }
    }

    private void deliver() {
        ByteBuf m;
        while (!closed && (m = engine.pollMessage()) != null) {
            try {
                listener.onMessage(connection, m);
            } catch (RuntimeException e) {
                handler.listenerFailed(e);
            } finally {
                if (m.refCnt() > 0) {
                    m.release();
                }
            }
        }
    }

    private void drainEvents() {
        KcpEvent e;
        while ((e = engine.pollEvent()) != null) {
            if (e == KcpEvent.LINK_DEAD) {
                linkDead = true;
            } else if (e == KcpEvent.WRITABLE && !pending.isEmpty()) {
                redrive = true;
            }
        }
    }

    private void notifyLinkDead() {
        try {
            listener.onLinkDead(connection);
        } catch (RuntimeException e) {
            handler.listenerFailed(e);
        }
        close();
    }

    private void updateWritability() {
        boolean was = connection.writableFlag;
        boolean now = engine.isWritable()
            && connection.pendingBytes.get() < connection.pendingHighWaterBytes;
        if (now != was) {
            connection.writableFlag = now;
            try {
                listener.onWritabilityChanged(connection, now);
            } catch (RuntimeException e) {
                handler.listenerFailed(e);
            }
        }
    }
}
