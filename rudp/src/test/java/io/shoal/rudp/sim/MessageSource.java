package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.SendResult;

/**
 * Sends the messages of a {@link MessagePlan}: each one once it is due and the engine is writable. A message refused
 * with {@code QUEUE_FULL} is retried on the next wake-up, keeping its due time, so queueing delay counts as latency.
 */
public final class MessageSource implements KcpSimApp {
    private final MessagePlan plan;
    private int next;
    private long lastWakeNs = Long.MIN_VALUE;
    private String failure;

    public MessageSource(final MessagePlan plan) {
        this.plan = plan;
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        lastWakeNs = nowNs;
        while (failure == null && next < plan.count() && plan.dueNs(next) - nowNs <= 0 && engine.isWritable()) {
            final int size = plan.sizeOf(next);
            final ByteBuf data = engine.config().allocator().heapBuffer(size, size);
            PatternBytes.write(data, plan.contentKey(next), 0, size);
            final SendResult result = engine.send(nowNs, data);
            if (result == SendResult.QUEUE_FULL) {
                return;
            }
            if (result != SendResult.QUEUED) {
                failure = "send of message " + next + " (" + size + " bytes) returned " + result;
                return;
            }
            next++;
        }
    }

    @Override
    public long nextWakeNs() {
        if (plan.intervalNs() == 0 || next >= plan.count() || failure != null) {
            return SimEndpoint.NO_DEADLINE;
        }
        // A message already due at the last wake-up waits for writability, and every engine timer or input wakes us.
        final long dueNs = plan.dueNs(next);
        return lastWakeNs != Long.MIN_VALUE && dueNs - lastWakeNs <= 0 ? SimEndpoint.NO_DEADLINE : dueNs;
    }

    /** Messages the engine accepted. */
    public int sent() {
        return next;
    }

    public String failure() {
        return failure;
    }

    @Override
    public boolean isDone() {
        return next >= plan.count() || failure != null;
    }
}
