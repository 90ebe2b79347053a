package io.shoal.rudp.kcp.sim;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.sim.MessagePlan;
import io.shoal.rudp.sim.SimSeeds;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random scenarios from a seed: link profiles (loss 0-20 %, Gilbert-Elliott bursts, jitter, duplication, corruption,
 * small rate limits, blackouts well under the dead-link time, an MTU exactly at the engine's), presets and congestion
 * controllers, stream or message mode, sizes from 1 byte to {@link KcpConfig#maxMessageBytes()}.
 */
final class KcpScenarios {
    private static final int[] MTUS = {120, 576, 1200, 1400};
    private static final int[] SEND_WINDOWS = {8, 32, 128, 512, 1024};
    private static final int[] RECEIVE_WINDOWS = {128, 256, 1024};
    private static final Set<CongestionControl> AVAILABLE = probeControllers();

    private KcpScenarios() {
    }

    /** Controllers the engine can build today (others are replaced by KCP's own until they land). */
    static Set<CongestionControl> availableControllers() {
        return AVAILABLE;
    }

    private static Set<CongestionControl> probeControllers() {
        final Set<CongestionControl> available = EnumSet.noneOf(CongestionControl.class);
        for (final CongestionControl cc : CongestionControl.values()) {
            try {
                new KcpEngine(1, KcpConfig.fast().toBuilder().congestionControl(cc).build()).close();
                available.add(cc);
            } catch (IllegalArgumentException | UnsupportedOperationException notYet) {
                // not implemented yet on this branch
            }
        }
        return available;
    }

    /** The scenario of {@code seed}; {@code corruption} chooses what corrupted datagrams become. */
    static KcpScenario random(final long seed, final LinkConfig.Corruption corruption) {
        final SplittableRandom r = new SplittableRandom(seed);
        final String[] presets = {"normal", "fast", "turbo"};
        final KcpConfig.Builder b = KcpConfig.builder().mode(presets[r.nextInt(3)]);
        CongestionControl cc = CongestionControl.values()[r.nextInt(CongestionControl.values().length)];
        if (!AVAILABLE.contains(cc)) {
            cc = CongestionControl.KCP;
        }
        final int mtu = MTUS[r.nextInt(MTUS.length)];
        b.congestionControl(cc).mtu(mtu).windows(SEND_WINDOWS[r.nextInt(SEND_WINDOWS.length)],
            RECEIVE_WINDOWS[r.nextInt(RECEIVE_WINDOWS.length)]).ackNoDelay(r.nextBoolean())
            .flushOnAck(r.nextBoolean()).stream(r.nextBoolean());
        final KcpConfig config = b.build();
        // KCP's nc = 1 (NONE) sends a whole window at once with no back-off but the RTO's: it needs a bottleneck
        // queue that absorbs a window, or it degrades to a few segments per (exponentially growing) RTO round.
        final long minQueueBytes = (cc == CongestionControl.NONE ? config.sendWindow() : 8L) * mtu;
        final LinkConfig c2s = randomLink(r, mtu, corruption, minQueueBytes);
        final LinkConfig s2c = r.nextInt(3) == 0 ? c2s : randomLink(r, mtu, corruption, minQueueBytes);
        final boolean bothWays = r.nextInt(3) == 0;
        final int maxBytes = logUniform(r, 1, config.maxMessageBytes());
        final long[] streamBytes = {logUniform(r, 1, 120_000), bothWays ? logUniform(r, 1, 60_000) : 0};
        final MessagePlan[] messages = new MessagePlan[2];
        for (int side = 0; side < 2; side++) {
            final int count = side == 1 && !bothWays ? 0 : 1 + r.nextInt(Math.max(1, Math.min(40, 150_000 / maxBytes)));
            final int minBytes = 1 + r.nextInt(maxBytes);
            messages[side] = new MessagePlan(SimSeeds.mix(seed, 10 + side), count, Math.min(minBytes, maxBytes),
                maxBytes, 0, r.nextInt(4) == 0 ? r.nextInt(50) * 1_000_000L : 0);
        }
        return new KcpScenario(seed, c2s, s2c, config, streamBytes, maxBytes, messages);
    }

    private static LinkConfig randomLink(final SplittableRandom r, final int mtu, final LinkConfig.Corruption mode,
                                         final long minQueueBytes) {
        final LinkConfig.Builder b = LinkConfig.builder().delayNs(r.nextLong(100_000_001L));
        if (r.nextBoolean()) {
            b.lossRate(r.nextDouble() * 0.2);
        }
        if (r.nextInt(4) == 0) {
            // The chain moves per datagram, so on a sparse flow a bad state lasts many RTOs; with normal mode's
            // unbounded RTO doubling (ikcp.c) fifteen failed rounds in a row already take hours. Keep bursts short.
            b.gilbertElliott(0.005 + r.nextDouble() * 0.025, 0.4 + r.nextDouble() * 0.5, 0, 0.5 + r.nextDouble() * 0.3);
        }
        if (r.nextInt(3) == 0) {
            b.jitterNs(r.nextLong(30_000_001L), r.nextBoolean() ? LinkConfig.Jitter.UNIFORM : LinkConfig.Jitter.NORMAL);
        }
        if (r.nextInt(5) == 0) {
            b.duplicateRate(r.nextDouble() * 0.1);
        }
        if (r.nextInt(5) == 0 || mode == LinkConfig.Corruption.DELIVER) {
            b.corruptRate(0.01 + r.nextDouble() * 0.1, mode);
        }
        if (r.nextInt(3) == 0) {
            b.rateBitsPerSecond(200_000 + r.nextLong(10_000_000L));
            b.queueLimitBytes(Math.max(minQueueBytes, r.nextInt(200_000)));
        }
        if (r.nextInt(6) == 0) {
            // Far shorter than dead-link time: 20 transmissions of one segment under RTO backoff take many seconds.
            b.blackout(r.nextLong(2_000_000_001L), 50_000_000L + r.nextLong(1_450_000_001L));
        }
        if (r.nextInt(4) == 0) {
            b.mtuBytes(mtu); // exactly the engine's: a datagram one byte larger would vanish
        }
        return b.build();
    }

    private static int logUniform(final SplittableRandom r, final int min, final int max) {
        final double v = Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max + 1.0) - Math.log(min)));
        return (int) Math.max(min, Math.min(max, Math.floor(v)));
    }
}
