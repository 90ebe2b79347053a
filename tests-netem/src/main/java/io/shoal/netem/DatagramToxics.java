package io.shoal.netem;

import io.shoal.rudp.impair.LinkConfig;

/**
 * What each toxic means for a datagram: the {@link LinkConfig} of its stage and the probability it applies.
 * Toxiproxy's types keep their meaning per datagram ({@code latency} delays, {@code bandwidth} is a bottleneck with a
 * bounded drop-tail queue, {@code timeout} is a blackhole, so with toxicity p it is Bernoulli loss of p); {@code
 * slicer} and {@code slow_close} have no datagram meaning and pass datagrams through; {@code limit_data} is counted
 * by the path, {@code reset_peer} and {@code rebind} act on sessions.
 */
final class DatagramToxics {
    /** The bottleneck queue holds this much time at the configured rate... */
    private static final long QUEUE_NS = 100_000_000L;
    /** ...but at least this many bytes, so a full-size datagram fits even at low rates. */
    private static final long MIN_QUEUE_BYTES = 64 * 1024;

    private DatagramToxics() {
    }

    /** The probability that {@code t} applies to one datagram. */
    static double probability(Toxic t) {
        double p = t.toxicity();
        return t.type() == ToxicType.REORDER ? p * t.value("rate") : p;
    }

    /** The link model configuration of {@code t}'s stage; null when the stage needs no model. */
    static LinkConfig linkConfig(Toxic t) {
        LinkConfig.Builder b = LinkConfig.builder();
        switch (t.type()) {
            case LATENCY -> b.delayMs(t.nonNegative("latency"))
                .jitterNs(t.nonNegative("jitter") * 1_000_000L, LinkConfig.Jitter.UNIFORM);
            case BANDWIDTH -> {
                long rateBytesPerSecond = t.nonNegative("rate") * 1000L; // Toxiproxy's KB is 1000 bytes
                if (rateBytesPerSecond == 0) {
                    return null;
                }
                b.rateBitsPerSecond(rateBytesPerSecond * 8)
                    .queueLimitBytes(Math.max(MIN_QUEUE_BYTES, rateBytesPerSecond * QUEUE_NS / 1_000_000_000L));
            }
            case TIMEOUT -> b.lossRate(1.0);
            case PACKET_LOSS -> lossWithCorrelation(b, t.value("loss_rate"), t.value("correlation"));
            case DUPLICATE -> b.duplicateRate(t.value("rate"));
            case CORRUPT -> b.corruptRate(t.value("rate"), LinkConfig.Corruption.DELIVER);
            case REORDER -> b.delayMs(t.nonNegative("delay"));
            case MTU -> b.mtuBytes((int) Math.min(Integer.MAX_VALUE, Math.max(1, t.nonNegative("bytes"))));
            case BLACKOUT -> b.blackout(t.addedAtNs(), t.nonNegative("duration") * 1_000_000L);
            case SLOW_CLOSE, SLICER, LIMIT_DATA, RESET_PEER, REBIND -> {
                return null;
            }
        }
        return b.build();
    }

    /**
     * Loss with mean {@code lossRate} and, when {@code correlation} c is above 0, bursts: a two-state
     * Gilbert-Elliott chain (good loses nothing, bad loses everything) with P(loss | loss) = L + c (1 - L) and
     * P(loss | no loss) = L (1 - c), whose stationary loss is still L.
     */
    static void lossWithCorrelation(LinkConfig.Builder b, double lossRate, double correlation) {
        if (correlation <= 0.0 || lossRate <= 0.0 || lossRate >= 1.0) {
            b.lossRate(lossRate);
            return;
        }
        double goodToBad = lossRate * (1.0 - correlation);
        double badToGood = (1.0 - lossRate) * (1.0 - correlation);
        if (badToGood <= 0.0) {
            b.lossRate(lossRate); // correlation 1: the chain would never leave a state; fall back to independent
            return;
        }
        b.gilbertElliott(goodToBad, badToGood, 0.0, 1.0);
    }
}
