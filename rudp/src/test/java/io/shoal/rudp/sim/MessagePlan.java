package io.shoal.rudp.sim;

/**
 * The messages a {@link MessageSource} sends and a {@link MessageSink} expects: {@code count} messages whose sizes are a
 * deterministic hash of ({@code key}, index) in [minBytes, maxBytes] and whose content is {@link PatternBytes} stream
 * {@code contentKey(index)}. With {@code intervalNs > 0} message i is due at {@code startNs + i * intervalNs}; with 0
 * they are sent as fast as the engine takes them.
 */
public record MessagePlan(long key, int count, int minBytes, int maxBytes, long startNs, long intervalNs) {
    public MessagePlan {
        if (count < 0 || minBytes < 1 || maxBytes < minBytes || intervalNs < 0) {
            throw new IllegalArgumentException("bad message plan: count=" + count + ", bytes=[" + minBytes + ", "
                + maxBytes + "], interval=" + intervalNs);
        }
    }

    /** Size of message {@code index} in bytes. */
    public int sizeOf(final int index) {
        final long h = SimSeeds.mix(key, index) >>> 1;
        return minBytes + (int) (h % (maxBytes - minBytes + 1L));
    }

    /** Pattern stream key of message {@code index}'s content. */
    public long contentKey(final int index) {
        return SimSeeds.mix(~key, index);
    }

    /** When message {@code index} is due (its send time for latency). */
    public long dueNs(final int index) {
        return startNs + index * intervalNs;
    }
}
