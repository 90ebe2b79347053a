package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.SendResult;

/**
 * Two {@link KcpEngine}s back to back in one thread: A writes a byte stream, B reads it. Datagrams cross at once
 * (no loss, no delay) and time is virtual: it moves to the earlier engine deadline only when neither side can make
 * progress, so what is measured is the engines' CPU cost, not a network.
 *
 * <p>Not thread-safe; one instance per benchmark thread. {@link #close()} releases every buffer it holds.
 */
final class EnginePair implements AutoCloseable {
    /** Rounds without progress before {@link #transfer} gives up: the engines would otherwise spin forever. */
    private static final int MAX_IDLE_ROUNDS = 100_000;

    private final KcpEngine sender;
    private final KcpEngine receiver;
    private final ByteBuf wire;
    private final ByteBuf payload;
    private final ByteBuf sink;
    private final int chunkBytes;
    private long nowNs;

    /** Both engines use {@code config}; each {@code send} queues at most {@code chunkBytes}. */
    EnginePair(KcpConfig config, int conv, int chunkBytes) {
        if (chunkBytes <= 0 || chunkBytes > config.maxMessageBytes()) {
            throw new IllegalArgumentException("chunkBytes must be in [1, " + config.maxMessageBytes() + "]");
        }
        this.sender = new KcpEngine(conv, config);
        this.receiver = new KcpEngine(conv, config);
        this.wire = Unpooled.directBuffer(config.mtu());
        this.payload = Unpooled.directBuffer(chunkBytes);
        for (int i = 0; i < chunkBytes; i++) {
            payload.writeByte(i * 31 + 7);
        }
        this.sink = Unpooled.directBuffer(64 * 1024);
        this.chunkBytes = chunkBytes;
    }

    /**
     * Moves {@code totalBytes} from A's application into B's application.
     *
     * @return the virtual time that passed, in nanoseconds
     * @throws IllegalStateException if the engines stop making progress (a bug in the engine)
     */
    long transfer(long totalBytes) {
        long startNs = nowNs;
        long queued = 0;
        long delivered = 0;
        int idleRounds = 0;
        while (delivered < totalBytes) {
            boolean progress = false;
            while (queued < totalBytes && sender.isWritable()) {
                int n = (int) Math.min(chunkBytes, totalBytes - queued);
                // send takes ownership: a retained slice shares the prefilled bytes without copying them.
                SendResult result = sender.send(nowNs, payload.retainedSlice(0, n));
                if (result != SendResult.QUEUED) {
                    throw new IllegalStateException("send returned " + result + " while writable");
                }
                queued += n;
                progress = true;
            }
            progress |= pump(sender, receiver);
            for (int got = receiver.receive(sink.clear()); got > 0; got = receiver.receive(sink.clear())) {
                delivered += got;
                progress = true;
            }
            progress |= pump(receiver, sender);
            drainEvents();
            if (progress) {
                idleRounds = 0;
                continue;
            }
            if (++idleRounds > MAX_IDLE_ROUNDS) {
                throw new IllegalStateException("engines stalled: delivered " + delivered + " of " + totalBytes
                    + " bytes; sender " + sender.stats() + ", receiver " + receiver.stats());
            }
            long nextNs = Math.min(sender.nextDeadlineNs(), receiver.nextDeadlineNs());
            if (nextNs != KcpEngine.NO_DEADLINE && nextNs > nowNs) {
                nowNs = nextNs;
            }
            sender.handleTimeout(nowNs);
            receiver.handleTimeout(nowNs);
        }
        return nowNs - startNs;
    }

    /** Data segments A has sent so far, retransmissions included. */
    long segmentsSent() {
        return sender.stats().segmentsSent();
    }

    private boolean pump(KcpEngine from, KcpEngine to) {
        boolean moved = false;
        for (int n = from.pollTransmit(nowNs, wire.clear()); n > 0; n = from.pollTransmit(nowNs, wire.clear())) {
            to.handleDatagram(nowNs, wire);
            moved = true;
        }
        return moved;
    }

    private void drainEvents() {
        while (sender.pollEvent() != null) {
            // Nothing to react to: the loop polls isWritable() itself.
        }
        while (receiver.pollEvent() != null) {
            // Same.
        }
    }

    @Override
    public void close() {
        sender.close();
        receiver.close();
        wire.release();
        payload.release();
        sink.release();
    }
}
