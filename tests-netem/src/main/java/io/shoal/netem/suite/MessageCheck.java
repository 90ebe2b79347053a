package io.shoal.netem.suite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Both halves of an interactive workload, whatever carries the messages: {@link #message} builds message {@code seq}
 * ({@value #MESSAGE_BYTES} bytes: sequence number, send time, a body derived from the seed and the number), and
 * {@link #accept} checks every byte of each arrival on the receiver's thread, refuses duplicates and completes
 * {@link #done} once every sequence number arrived. Latency is one-way (both ends share this process's clock).
 */
final class MessageCheck {
    static final int MESSAGE_BYTES = 200;
    static final int INTERVAL_MS = 20;
    private static final int HEADER_BYTES = Integer.BYTES + Long.BYTES;

    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** One-way latencies in ms; read it on the receiver's thread (or after {@link #done}). */
    final LatencySamples latency = new LatencySamples();
    private final ScenarioContext ctx;
    private final int messages;
    private final BitSet seen;

    MessageCheck(ScenarioContext ctx, int messages) {
        this.ctx = ctx;
        this.messages = messages;
        this.seen = new BitSet(messages);
    }

    /** The body of message {@code seq}: seeded bytes, so the receiver can recompute it. */
    static byte[] body(long seed, int seq) {
        byte[] b = new byte[MESSAGE_BYTES - HEADER_BYTES];
        new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L)).nextBytes(b);
        return b;
    }

    /** A new heap buffer holding message {@code seq}, stamped with the current time; the caller owns it. */
    static ByteBuf message(long seed, int seq) {
        ByteBuf m = Unpooled.buffer(MESSAGE_BYTES);
        m.writeInt(seq).writeLong(System.nanoTime()).writeBytes(body(seed, seq));
        return m;
    }

    /** Checks one whole message; borrows {@code data} (reads it, never releases it). */
    void accept(ByteBuf data) {
        long nowNs = System.nanoTime();
        if (data.readableBytes() != MESSAGE_BYTES) {
            fail("a message of " + data.readableBytes() + " bytes, sent " + MESSAGE_BYTES);
            return;
        }
        int seq = data.readInt();
        long sentNs = data.readLong();
        if (seq < 0 || seq >= messages) {
            fail("sequence number " + seq + " was never sent");
        } else if (seen.get(seq)) {
            fail("message " + seq + " delivered twice");
        } else if (!Arrays.equals(ByteBufUtil.getBytes(data), body(ctx.seed(), seq))) {
            fail("message " + seq + " arrived with different bytes");
        } else {
            seen.set(seq);
            latency.add((nowNs - sentNs) / 1e6);
            int arrived = seen.cardinality();
            if (arrived >= messages / 3) {
                ctx.midway();
            }
            if (arrived == messages) {
                done.complete(null);
            }
        }
    }

    private void fail(String what) {
        done.completeExceptionally(new IntegrityException(what));
    }
}
