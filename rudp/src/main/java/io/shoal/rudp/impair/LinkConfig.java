package io.shoal.rudp.impair;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable impairments of one direction of a simulated link, applied by {@link LinkModel} in this order: MTU,
 * blackout, random loss (Bernoulli, then Gilbert-Elliott), the bottleneck queue, then per copy on the wire
 * duplication, corruption and propagation delay with jitter. Build with {@link #builder()}; {@link #ideal()} has no
 * impairment at all. Times are nanoseconds, rates bits per second, sizes bytes; probabilities are in [0, 1].
 */
public final class LinkConfig {
    /** Shape of the jitter added to the base delay. Independent per packet, so jitter reorders packets. */
    public enum Jitter {
        /** Uniform in [-jitter, +jitter]. */
        UNIFORM,
        /** Normal with standard deviation jitter. */
        NORMAL
    }

    /** What a corrupted datagram becomes. */
    public enum Corruption {
        /** Detected by the UDP checksum and dropped at the receiver, as a real stack would do. */
        DROP_AS_CHECKSUM,
        /** Delivered with its bits flipped, for decoder-robustness tests. */
        DELIVER
    }

    /** Everything entering the link in [startNs, startNs + durationNs) is dropped. */
    public record Blackout(long startNs, long durationNs) {
        public Blackout {
            if (durationNs < 0) {
                throw new IllegalArgumentException("blackout duration must be >= 0: " + durationNs);
            }
        }

        /** True when {@code nowNs} falls inside the window. */
        public boolean covers(final long nowNs) {
            return nowNs - startNs >= 0 && nowNs - startNs < durationNs;
        }
    }

    private final double lossRate;
    private final double geGoodToBad;
    private final double geBadToGood;
    private final double geLossGood;
    private final double geLossBad;
    private final long delayNs;
    private final long jitterNs;
    private final Jitter jitter;
    private final double duplicateRate;
    private final double corruptRate;
    private final Corruption corruption;
    private final long rateBitsPerSecond;
    private final long queueLimitBytes;
    private final List<Blackout> blackouts;
    private final int mtuBytes;

    private LinkConfig(final Builder b) {
        this.lossRate = b.lossRate;
        this.geGoodToBad = b.geGoodToBad;
        this.geBadToGood = b.geBadToGood;
        this.geLossGood = b.geLossGood;
        this.geLossBad = b.geLossBad;
        this.delayNs = b.delayNs;
        this.jitterNs = b.jitterNs;
        this.jitter = b.jitter;
        this.duplicateRate = b.duplicateRate;
        this.corruptRate = b.corruptRate;
        this.corruption = b.corruption;
        this.rateBitsPerSecond = b.rateBitsPerSecond;
        this.queueLimitBytes = resolveQueueLimit(b);
        this.blackouts = List.copyOf(b.blackouts);
        this.mtuBytes = b.mtuBytes;
    }

    private static long resolveQueueLimit(final Builder b) {
        if (b.queueLimitBytes > 0) {
            return b.queueLimitBytes;
        }
        if (b.queueLimitNs > 0 && b.rateBitsPerSecond > 0) {
            // A delay limit is the bytes the bottleneck drains in that time (a 100 ms queue at 50 Mbit/s is 625 kB).
            return Math.max(1, (long) Math.floor(b.rateBitsPerSecond / 8.0 * b.queueLimitNs / 1e9));
        }
        return Long.MAX_VALUE;
    }

    /** A new builder with no impairment. */
    public static Builder builder() {
        return new Builder();
    }

    /** A perfect link: no loss, no delay, no limit. */
    public static LinkConfig ideal() {
        return builder().build();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.lossRate = lossRate;
        b.geGoodToBad = geGoodToBad;
        b.geBadToGood = geBadToGood;
        b.geLossGood = geLossGood;
        b.geLossBad = geLossBad;
        b.delayNs = delayNs;
        b.jitterNs = jitterNs;
        b.jitter = jitter;
        b.duplicateRate = duplicateRate;
        b.corruptRate = corruptRate;
        b.corruption = corruption;
        b.rateBitsPerSecond = rateBitsPerSecond;
        b.queueLimitBytes = queueLimitBytes == Long.MAX_VALUE ? 0 : queueLimitBytes;
        b.blackouts.addAll(blackouts);
        b.mtuBytes = mtuBytes;
        return b;
    }

    public double lossRate() {
        return lossRate;
    }

    /** Gilbert-Elliott: probability per packet of moving from the good to the bad state; 0 disables the model. */
    public double geGoodToBad() {
        return geGoodToBad;
    }

    /** Gilbert-Elliott: probability per packet of moving from the bad to the good state (mean burst = 1 / r). */
    public double geBadToGood() {
        return geBadToGood;
    }

    public double geLossGood() {
        return geLossGood;
    }

    public double geLossBad() {
        return geLossBad;
    }

    public boolean gilbertElliott() {
        return geGoodToBad > 0;
    }

    public long delayNs() {
        return delayNs;
    }

    public long jitterNs() {
        return jitterNs;
    }

    public Jitter jitter() {
        return jitter;
    }

    public double duplicateRate() {
        return duplicateRate;
    }

    public double corruptRate() {
        return corruptRate;
    }

    public Corruption corruption() {
        return corruption;
    }

    /** Bottleneck rate; 0 means unlimited (and no queue). */
    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    /** Drop-tail limit of the bottleneck queue in bytes; {@link Long#MAX_VALUE} when unbounded. */
    public long queueLimitBytes() {
        return queueLimitBytes;
    }

    public List<Blackout> blackouts() {
        return blackouts;
    }

    /** Largest datagram carried; 0 means no limit. */
    public int mtuBytes() {
        return mtuBytes;
    }

    @Override
    public String toString() {
        final StringBuilder s = new StringBuilder("LinkConfig{");
        s.append("delay=").append(delayNs / 1_000_000.0).append("ms");
        if (jitterNs > 0) {
            s.append(", jitter=").append(jitterNs / 1_000_000.0).append("ms ").append(jitter);
        }
        if (lossRate > 0) {
            s.append(", loss=").append(lossRate);
        }
        if (gilbertElliott()) {
            s.append(", ge(p=").append(geGoodToBad).append(", r=").append(geBadToGood).append(", k=")
                .append(geLossGood).append(", h=").append(geLossBad).append(')');
        }
        if (duplicateRate > 0) {
            s.append(", dup=").append(duplicateRate);
        }
        if (corruptRate > 0) {
            s.append(", corrupt=").append(corruptRate).append(' ').append(corruption);
        }
        if (rateBitsPerSecond > 0) {
            s.append(", rate=").append(rateBitsPerSecond).append("bit/s, queue=")
                .append(queueLimitBytes == Long.MAX_VALUE ? "unbounded" : queueLimitBytes + "B");
        }
        if (!blackouts.isEmpty()) {
            s.append(", blackouts=").append(blackouts);
        }
        if (mtuBytes > 0) {
            s.append(", mtu=").append(mtuBytes);
        }
        return s.append('}').toString();
    }

    /** Chainable, checked setters named after each field. */
    public static final class Builder {
        private double lossRate;
        private double geGoodToBad;
        private double geBadToGood = 1.0;
        private double geLossGood;
        private double geLossBad = 1.0;
        private long delayNs;
        private long jitterNs;
        private Jitter jitter = Jitter.UNIFORM;
        private double duplicateRate;
        private double corruptRate;
        private Corruption corruption = Corruption.DROP_AS_CHECKSUM;
        private long rateBitsPerSecond;
        private long queueLimitBytes;
        private long queueLimitNs;
        private final List<Blackout> blackouts = new ArrayList<>();
        private int mtuBytes;

        private Builder() {
        }

        /** Bernoulli loss: each datagram is dropped independently with this probability. */
        public Builder lossRate(final double p) {
            this.lossRate = probability("lossRate", p);
            return this;
        }

        /**
         * Gilbert-Elliott burst loss: per datagram the state moves good to bad with {@code p}, bad to good with
         * {@code r}, then the datagram is lost with {@code lossGood} or {@code lossBad} for the current state.
         */
        public Builder gilbertElliott(final double p, final double r, final double lossGood, final double lossBad) {
            this.geGoodToBad = probability("p", p);
            this.geBadToGood = probability("r", r);
            this.geLossGood = probability("lossGood", lossGood);
            this.geLossBad = probability("lossBad", lossBad);
            if (p > 0 && r == 0) {
                throw new IllegalArgumentException("r must be > 0 or the link stays bad forever");
            }
            return this;
        }

        /** One-way propagation delay. */
        public Builder delayNs(final long delayNs) {
            this.delayNs = nonNegative("delayNs", delayNs);
            return this;
        }

        /** One-way propagation delay in milliseconds. */
        public Builder delayMs(final long delayMs) {
            return delayNs(delayMs * 1_000_000L);
        }

        /** Jitter amplitude (uniform half-width or normal standard deviation); delivery never precedes departure. */
        public Builder jitterNs(final long jitterNs, final Jitter shape) {
            if (shape == null) {
                throw new IllegalArgumentException("jitter shape must not be null");
            }
            this.jitterNs = nonNegative("jitterNs", jitterNs);
            this.jitter = shape;
            return this;
        }

        public Builder duplicateRate(final double p) {
            this.duplicateRate = probability("duplicateRate", p);
            return this;
        }

        /** Each copy on the wire is corrupted (1 to 3 random bits flipped) with {@code p}; see {@link Corruption}. */
        public Builder corruptRate(final double p, final Corruption mode) {
            if (mode == null) {
                throw new IllegalArgumentException("corruption mode must not be null");
            }
            this.corruptRate = probability("corruptRate", p);
            this.corruption = mode;
            return this;
        }

        /** Bottleneck rate; 0 removes the bottleneck. */
        public Builder rateBitsPerSecond(final long bitsPerSecond) {
            this.rateBitsPerSecond = nonNegative("rateBitsPerSecond", bitsPerSecond);
            return this;
        }

        /** Drop-tail queue limit in bytes (wins over {@link #queueLimitNs}). */
        public Builder queueLimitBytes(final long bytes) {
            this.queueLimitBytes = nonNegative("queueLimitBytes", bytes);
            return this;
        }

        /** Drop-tail queue limit as the time the bottleneck needs to drain it (e.g. 100 ms). */
        public Builder queueLimitNs(final long ns) {
            this.queueLimitNs = nonNegative("queueLimitNs", ns);
            return this;
        }

        /** Drops everything entering the link from {@code startNs} for {@code durationNs}. */
        public Builder blackout(final long startNs, final long durationNs) {
            this.blackouts.add(new Blackout(startNs, durationNs));
            return this;
        }

        /** Drops datagrams larger than {@code mtuBytes}; 0 removes the limit. */
        public Builder mtuBytes(final int mtuBytes) {
            this.mtuBytes = (int) nonNegative("mtuBytes", mtuBytes);
            return this;
        }

        public LinkConfig build() {
            return new LinkConfig(this);
        }

        private static double probability(final String name, final double p) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
            }
            return p;
        }

        private static long nonNegative(final String name, final long v) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must be >= 0: " + v);
            }
            return v;
        }
    }
}
