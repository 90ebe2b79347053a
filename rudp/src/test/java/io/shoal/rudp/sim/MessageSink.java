package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;

/**
 * Reads messages and checks each is the next one of its {@link MessagePlan}, whole (size and content) and in order;
 * records each delivery time so latency is {@code deliveredNs(i) - plan.dueNs(i)}. Releases every buffer it reads.
 */
public final class MessageSink implements KcpSimApp {
    private final MessagePlan plan;
    private final long[] deliveredNs;
    private int received;
    private String failure;

    public MessageSink(final MessagePlan plan) {
        this.plan = plan;
        this.deliveredNs = new long[plan.count()];
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        ByteBuf message;
        while ((message = engine.pollMessage()) != null) {
            try {
                check(message);
                if (received < deliveredNs.length) {
                    deliveredNs[received] = nowNs;
                }
                received++;
            } finally {
                message.release();
            }
        }
    }

    private void check(final ByteBuf message) {
        if (failure != null) {
            return;
        }
        if (received >= plan.count()) {
            failure = "extra message #" + received + " of " + message.readableBytes() + " bytes";
            return;
        }
        final int expected = plan.sizeOf(received);
        if (message.readableBytes() != expected) {
            failure = "message #" + received + " has " + message.readableBytes() + " bytes, expected " + expected;
            return;
        }
        final long bad = PatternBytes.firstMismatch(message, plan.contentKey(received), 0);
        if (bad >= 0) {
            failure = "message #" + received + " (" + expected + " bytes) differs at offset " + bad;
        }
    }

    public int received() {
        return received;
    }

    /** Virtual delivery time of message {@code index} (valid for index < {@link #received()}). */
    public long deliveredNs(final int index) {
        return deliveredNs[index];
    }

    public String failure() {
        return failure;
    }

    @Override
    public boolean isDone() {
        return received >= plan.count() || failure != null;
    }
}
