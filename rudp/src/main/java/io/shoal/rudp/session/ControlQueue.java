package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.SealResult;
import io.shoal.rudp.packet.SecurePacketType;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One connection's datagrams waiting ahead of its KCP data: handshake packets, CLOSE, path challenges and responses,
 * keepalives. Owns what it holds until {@link #poll} hands a datagram over or {@link #releaseAll} frees it.
 * One thread only.
 */
final class ControlQueue {
    private final ArrayDeque<Transmit> queued = new ArrayDeque<>(2);
    private final ByteBufAllocator alloc;
    private SealResult lastSeal = SealResult.SEALED;

    ControlQueue(final ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Queues {@code out} (taking ownership) when it holds bytes; releases it when empty. */
    void add(final InetSocketAddress to, final ByteBuf out) {
        if (out.isReadable()) {
            queued.add(new Transmit(to, out));
        } else {
            out.release();
        }
    }

    /** Seals {@code plaintext} (borrowed) with {@code protection} and queues the packet; see {@link #seal}. */
    SealResult addSealed(final PacketProtection protection, final SecurePacketType type, final ByteBuf plaintext,
                         final InetSocketAddress to) {
        final Transmit t = seal(protection, type, plaintext, to);
        if (t != null) {
            queued.add(t);
        }
        return lastSeal;
    }

    /**
     * Seals {@code plaintext} (borrowed) into a new datagram for {@code to}.
     *
     * @return the datagram (the caller's), or null when it could not be sealed ({@link #lastSeal()} says why)
     */
    Transmit seal(final PacketProtection protection, final SecurePacketType type, final ByteBuf plaintext,
                  final InetSocketAddress to) {
        final ByteBuf out = sealDatagram(protection, type, plaintext);
        return out == null ? null : new Transmit(to, out);
    }

    /**
     * Seals {@code plaintext} (borrowed) into a new pooled direct buffer, the kind a socket writes without another
     * copy.
     *
     * @return the datagram (the caller's), or null when it could not be sealed ({@link #lastSeal()} says why)
     */
    ByteBuf sealDatagram(final PacketProtection protection, final SecurePacketType type, final ByteBuf plaintext) {
        final ByteBuf out = alloc.directBuffer(plaintext.readableBytes() + PacketProtection.OVERHEAD_BYTES);
        lastSeal = protection.seal(type, plaintext, out);
        if (lastSeal == SealResult.SEALED) {
            return out;
        }
        out.release();
        return null;
    }

    /** What the last {@link #seal} or {@link #addSealed} returned. */
    SealResult lastSeal() {
        return lastSeal;
    }

    /** @return the oldest queued datagram (now the caller's), or null */
    Transmit poll() {
        return queued.poll();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** Frees everything queued. */
    void releaseAll() {
        Transmit t;
        while ((t = queued.poll()) != null) {
            t.datagram().release();
        }
    }
}
