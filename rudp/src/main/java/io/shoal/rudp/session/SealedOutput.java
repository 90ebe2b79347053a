package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.SealResult;
import io.shoal.rudp.packet.SecurePacketType;

import java.net.InetSocketAddress;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Everything one {@link SecureConnection} puts on the wire, in order: its {@link ControlQueue} (handshake packets,
 * CLOSE, path challenges and responses, keepalives) ahead of the engine's datagrams, each sealed as DATA with the
 * connection's {@link PacketProtection} once {@link #keyed} gave it one. Tracks when the connection last sent (the
 * keepalive timer) and ends the connection through {@code onExhausted} when the packet numbers run out, since a
 * nonce must never be reused. Owns what it queues until it hands a datagram over or {@link #release} frees it.
 * One thread only.
 */
final class SealedOutput {
    private static final byte[] EMPTY = new byte[0];

    private final ControlQueue control;
    private final ByteBufAllocator alloc;
    /** Called with the last send time when a seal found the packet numbers exhausted. */
    private final LongConsumer onExhausted;
    private PacketProtection protection;
    private KcpEngine engine;
    /** The engine datagram {@link #sealInPlace} seals, set only around one {@link DatagramSink#sendWritten}. */
    private ByteBuf sealing;
    /** Seals {@link #sealing} as DATA into the sink's buffer (one object per connection, none per datagram). */
    private final Predicate<ByteBuf> sealInPlace = this::sealInto;
    private long lastSendNs;
    private long keepalivesSent;
    /** What the last in-place DATA seal returned ({@link #drainTo}). */
    private SealResult lastDataSeal = SealResult.SEALED;

    SealedOutput(final ByteBufAllocator alloc, final LongConsumer onExhausted) {
        this.alloc = alloc;
        this.control = new ControlQueue(alloc);
        this.onExhausted = onExhausted;
    }

    /** The handshake completed at {@code nowNs}: from now on packets are sealed with {@code protection}. */
    void keyed(final PacketProtection protection, final KcpEngine engine, final long nowNs) {
        this.protection = protection;
        this.engine = engine;
        this.lastSendNs = nowNs;
    }

    /** Queues an unsealed handshake packet {@code out} (taking ownership; released when empty). */
    void addHandshake(final InetSocketAddress to, final ByteBuf out) {
        control.add(to, out);
    }

    /** Queues a CLOSE of {@code kind} ({@link ClosePayload}) with {@code text} (may be null). */
    void sendClose(final int kind, final String text, final InetSocketAddress to) {
        final ByteBuf payload = alloc.heapBuffer(1 + ClosePayload.MAX_REASON_BYTES);
        try {
            ClosePayload.write(payload, kind, text);
            sealControl(SecurePacketType.CLOSE, payload, to);
        } finally {
            payload.release();
        }
    }

    /** Queues {@code plaintext} sealed as a {@code type} packet for {@code to}. */
    void sendSealed(final SecurePacketType type, final byte[] plaintext, final InetSocketAddress to) {
        final ByteBuf payload = alloc.heapBuffer(plaintext.length).writeBytes(plaintext);
        try {
            sealControl(type, payload, to);
        } finally {
            payload.release();
        }
    }

    /** Queues a keepalive (an empty DATA packet) when nothing else is queued and {@code keepaliveNs} passed. */
    void maybeSendKeepalive(final long nowNs, final long keepaliveNs, final InetSocketAddress to) {
        if (keepaliveNs > 0 && nowNs - (lastSendNs + keepaliveNs) >= 0 && control.isEmpty()) {
            sendSealed(SecurePacketType.DATA, EMPTY, to);
            keepalivesSent++;
            lastSendNs = nowNs;
        }
    }

    /**
     * @param dataTo where the engine's DATA goes, or null when the connection sends no data now
     * @return the next datagram to send (owned by the caller), or null
     */
    Transmit poll(final long nowNs, final InetSocketAddress dataTo) {
        Transmit t = control.poll();
        if (t == null && dataTo != null) {
            final ByteBuf datagram = sealNextData();
            if (datagram != null) {
                t = new Transmit(dataTo, datagram);
            }
        }
        if (t != null) {
            lastSendNs = nowNs;
        }
        return t;
    }

    /**
     * Hands every datagram ready now to {@code sink}, as {@link #poll} would return them one by one: queued control
     * datagrams, then the engine's datagrams, each sealed as DATA straight into the buffer the sink sends it from
     * ({@link DatagramSink#sendWritten}: no {@link Transmit}, no buffer or copy of its own), sent to {@code dataTo}
     * (null: no data now).
     */
    void drainTo(final long nowNs, final DatagramSink sink, final InetSocketAddress dataTo) {
        boolean sent = false;
        Transmit t;
        while ((t = control.poll()) != null) {
            sink.send(t.datagram(), t.destination());
            sent = true;
        }
        if (dataTo != null) {
            ByteBuf segments;
            while ((segments = engine.pollDatagram()) != null) {
                sealing = segments;
                final boolean sealed = sink.sendWritten(segments.readableBytes() + PacketProtection.OVERHEAD_BYTES,
                        dataTo, sealInPlace, alloc);
                sealing = null;
                engine.recycleDatagram(segments);
                if (!sealed) {
                    closeIfExhausted(); // as after sealNextData: a datagram that cannot be sealed ends the drain
                    break;
                }
                sent = true;
            }
        }
        if (sent) {
            lastSendNs = nowNs;
        }
    }

    /** @return whether no control datagram is queued */
    boolean isEmpty() {
        return control.isEmpty();
    }

    /** @return when the connection last sent a datagram */
    long lastSendNs() {
        return lastSendNs;
    }

    /** @return keepalives sent */
    long keepalivesSent() {
        return keepalivesSent;
    }

    /** Frees anything queued. Idempotent. */
    void release() {
        control.releaseAll();
    }

    private void sealControl(final SecurePacketType type, final ByteBuf payload, final InetSocketAddress to) {
        control.addSealed(protection, type, payload, to);
        closeIfExhausted();
    }

    /** The engine's next datagram sealed as DATA (the caller's), or null: nothing to send, or sealing failed. */
    private ByteBuf sealNextData() {
        final ByteBuf segments = engine.pollDatagram();
        if (segments == null) {
            return null;
        }
        final ByteBuf datagram = control.sealDatagram(protection, SecurePacketType.DATA, segments);
        engine.recycleDatagram(segments);
        closeIfExhausted();
        return datagram;
    }

    private boolean sealInto(final ByteBuf out) {
        lastDataSeal = protection.seal(SecurePacketType.DATA, sealing, out);
        return lastDataSeal == SealResult.SEALED;
    }

    /** Packet numbers used up: no nonce is ever reused, so the connection ends. */
    private void closeIfExhausted() {
        if (control.lastSeal() == SealResult.PACKET_NUMBERS_EXHAUSTED
                || lastDataSeal == SealResult.PACKET_NUMBERS_EXHAUSTED) {
            lastDataSeal = SealResult.SEALED;
            onExhausted.accept(lastSendNs);
        }
    }
}
