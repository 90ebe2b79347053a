package io.shoal.rudp.kcp.sim;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.sim.CompositeApp;
import io.shoal.rudp.sim.KcpSimApp;
import io.shoal.rudp.sim.KcpSimEndpoint;
import io.shoal.rudp.sim.MessageSink;
import io.shoal.rudp.sim.MessageSource;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;
import io.shoal.rudp.sim.StreamSink;
import io.shoal.rudp.sim.StreamSource;
import io.shoal.rudp.sim.VirtualClock;

/**
 * Runs one {@link KcpScenario} on a {@link SimPair} with a buffer-counting allocator shared by the engines and the
 * simulator, and reports what went wrong, if anything: data missing, duplicated, reordered or damaged, a dead link, a
 * send refused, or a buffer still held after both engines are closed.
 */
final class KcpScenarioRunner {
    /** Conversation id both sides use (raw KCP agrees it out of band). */
    private static final int CONV = 0x5EED;
    /** After everything arrived, run this much longer to catch late duplicates delivered to the application. */
    private static final long SETTLE_NS = 2_000_000_000L;

    /** What one run produced. */
    record Outcome(String failure, long virtualNs, long steps, String detail) {
        boolean ok() {
            return failure == null;
        }
    }

    private KcpScenarioRunner() {
    }

    /**
     * Runs {@code s} for up to {@code budgetNs} of virtual time. With {@code checkIntegrity} false (corrupted bytes
     * delivered on purpose) only exceptions, stalls of the simulator and leaks count as failures.
     */
    static Outcome run(final KcpScenario s, final boolean checkIntegrity, final long budgetNs) {
        final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        final KcpConfig config = s.config().toBuilder().allocator(alloc).build();
        final Object[][] apps = new Object[2][];
        final KcpSimEndpoint[] sides = new KcpSimEndpoint[2];
        for (int side = 0; side < 2; side++) {
            final int peer = 1 - side;
            final long outKey = SimSeeds.mix(s.seed(), 100 + side);
            final long inKey = SimSeeds.mix(s.seed(), 100 + peer);
            final KcpSimApp source;
            final KcpSimApp sink;
            if (config.stream()) {
                source = new StreamSource(outKey, s.streamBytes()[side], s.maxChunkBytes(), SimSeeds.mix(outKey, 1));
                sink = new StreamSink(inKey, s.streamBytes()[peer], checkIntegrity);
            } else {
                source = new MessageSource(s.messages()[side]);
                sink = new MessageSink(s.messages()[peer]);
            }
            apps[side] = new Object[] {source, sink};
            sides[side] = new KcpSimEndpoint(new KcpEngine(CONV, config), new CompositeApp(source, sink));
        }
        String failure = null;
        final long steps;
        final long virtualNs;
        final String detail;
        try (SimPair pair = new SimPair(s.seed(), new VirtualClock(), s.clientToServer(), s.serverToClient(), sides[0],
            sides[1], alloc)) {
            final boolean done = pair.driveUntil(() -> sides[0].app().isDone() && sides[1].app().isDone(), budgetNs);
            if (done) {
                pair.drive(pair.nowNs() + SETTLE_NS);
            }
            virtualNs = pair.nowNs();
            steps = pair.steps();
            detail = describe(pair, sides, apps);
            for (int side = 0; side < 2 && failure == null; side++) {
                final String appFailure = appFailure(apps[side]);
                if (checkIntegrity && appFailure != null) {
                    failure = "side " + side + ": " + appFailure;
                } else if (checkIntegrity && sides[side].linkDead()) {
                    failure = "side " + side + " declared the link dead";
                }
            }
            if (failure == null && !done && checkIntegrity) {
                failure = "not complete after " + budgetNs / 1_000_000 + " ms of virtual time";
            }
        }
        final long held = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
        if (failure == null && held != 0) {
            failure = held + " bytes of buffers still held after both engines closed";
        }
        return new Outcome(failure, virtualNs, steps, detail);
    }

    private static String appFailure(final Object[] apps) {
        for (final Object app : apps) {
            final String f;
            if (app instanceof StreamSource) {
                f = ((StreamSource) app).failure();
            } else if (app instanceof StreamSink) {
                f = ((StreamSink) app).failure();
            } else if (app instanceof MessageSource) {
                f = ((MessageSource) app).failure();
            } else {
                f = ((MessageSink) app).failure();
            }
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String describe(final SimPair pair, final KcpSimEndpoint[] sides, final Object[][] apps) {
        final StringBuilder s = new StringBuilder();
        for (int side = 0; side < 2; side++) {
            final Object sink = apps[side][1];
            final String got = sink instanceof StreamSink ? ((StreamSink) sink).receivedBytes() + " B"
                : ((MessageSink) sink).received() + " msgs";
            s.append("\n  side ").append(side).append(": received ").append(got).append(", ")
                .append(sides[side].engine().state()).append(", rejected ").append(sides[side].rejectedDatagrams())
                .append(", ").append(sides[side].engine().stats()).append("\n  link ").append(side).append(": ")
                .append(pair.linkStats(side));
        }
        return s.toString();
    }
}
