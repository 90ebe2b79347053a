package io.shoal.rudp.kcp.sim;

import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.sim.MessagePlan;

/**
 * One seeded engine-over-simulator scenario: a link each way, one engine configuration for both sides, and the traffic
 * each side sends. In stream mode side i sends {@code streamBytes[i]} bytes in chunks of at most
 * {@code maxChunkBytes}; in message mode it sends {@code messages[i]} (a plan with count 0 means silence).
 */
record KcpScenario(
    long seed,
    LinkConfig clientToServer,
    LinkConfig serverToClient,
    KcpConfig config,
    long[] streamBytes,
    int maxChunkBytes,
    MessagePlan[] messages) {

    /** Payload bytes side {@code side} sends. */
    long payloadBytes(final int side) {
        if (config.stream()) {
            return streamBytes[side];
        }
        long total = 0;
        for (int i = 0; i < messages[side].count(); i++) {
            total += messages[side].sizeOf(i);
        }
        return total;
    }

    @Override
    public String toString() {
        final StringBuilder s = new StringBuilder("KcpScenario{").append(config).append("\n  c2s=")
            .append(clientToServer).append("\n  s2c=").append(serverToClient).append("\n  traffic=");
        for (int side = 0; side < 2; side++) {
            if (config.stream()) {
                s.append(side == 0 ? "c2s " : ", s2c ").append(streamBytes[side]).append(" B stream (chunks <= ")
                    .append(maxChunkBytes).append(')');
            } else {
                s.append(side == 0 ? "c2s " : ", s2c ").append(messages[side].count()).append(" msgs of [")
                    .append(messages[side].minBytes()).append(", ").append(messages[side].maxBytes()).append("] B");
            }
        }
        return s.append('}').toString();
    }
}
