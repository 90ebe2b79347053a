package io.shoal.netem.suite;

import java.util.List;
import java.util.Locale;

/**
 * The link profiles of the lossy-network suite (issue 4): each is a list of toxics added to every proxy of a scenario
 * when it is created ({@link #initial()}) and a list added once the workload is a third of the way through
 * ({@link #midway()}: the blackout and the NAT rebinding must hit a transfer in flight). Rates are per direction.
 */
public enum LinkProfile {
    CLEAN("clean", 0, List.of(), List.of()),
    LOSS_1("loss 1%", 0.01, List.of(loss(0.01, 0)), List.of()),
    LOSS_5("loss 5%", 0.05, List.of(loss(0.05, 0)), List.of()),
    LOSS_10("loss 10%", 0.10, List.of(loss(0.10, 0)), List.of()),
    /** Gilbert-Elliott bursts: mean 5%, P(loss after loss) = 0.05 + 0.5 * 0.95, about 52%. */
    BURSTY_5("bursty loss 5%", 0.05, List.of(loss(0.05, 0.5)), List.of()),
    /** 50 ms each way (100 ms RTT), jitter 10 ms each way (about 20 ms on the RTT); jitter also reorders. */
    JITTER("100 ms RTT, 20 ms jitter", 0, List.of(ToxicSpec.of("latency", "latency", 50, "jitter", 10)), List.of()),
    DUPLICATE_5("duplication 5%", 0, List.of(ToxicSpec.of("duplicate", "rate", 0.05)), List.of()),
    /** 10 Mbit/s = 1250 KB/s each way; the UDP proxy's bottleneck queue holds 100 ms (drop-tail). */
    RATE_10M("10 Mbit/s, 100 ms queue", 0, List.of(ToxicSpec.of("bandwidth", "rate", 1250)), List.of()),
    BLACKOUT_3S("3 s blackout", 0, List.of(), List.of(ToxicSpec.of("blackout", "duration", 3000))),
    /** The proxy's upstream source port changes once, mid-transfer, as a NAT mapping that expired and came back. */
    REBIND("NAT rebinding", 0, List.of(), List.of(ToxicSpec.of("rebind", "interval", 0).once())),
    /**
     * Issue 6's wide-area target: a 50 Mbit/s bottleneck (6250 KB/s each way; its drop-tail queue holds 100 ms, 2.5
     * times the 250 kB bandwidth-delay product, so the queue never limits a window of one BDP), 20 ms each way
     * (40 ms RTT) and 1% random loss each way, in that order: queue, propagation, loss.
     */
    WAN_50M("50 Mbit/s, 40 ms RTT, 1% loss", 0.01, List.of(ToxicSpec.of("bandwidth", "rate", 6250),
        ToxicSpec.of("latency", "latency", 20), loss(0.01, 0)), List.of());

    private final String label;
    private final double lossRate;
    private final List<ToxicSpec> initial;
    private final List<ToxicSpec> midway;

    LinkProfile(String label, double lossRate, List<ToxicSpec> initial, List<ToxicSpec> midway) {
        this.label = label;
        this.lossRate = lossRate;
        this.initial = initial;
        this.midway = midway;
    }

    private static ToxicSpec loss(double rate, double correlation) {
        return ToxicSpec.of("packet_loss", "loss_rate", rate, "correlation", correlation);
    }

    /** A human label for reports ("loss 5%"). */
    public String label() {
        return label;
    }

    /** A short id for file names and CSV ("loss-5"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Mean random loss per direction (0 when the profile does not drop at random), the x axis of goodput charts. */
    public double lossRate() {
        return lossRate;
    }

    public List<ToxicSpec> initial() {
        return initial;
    }

    public List<ToxicSpec> midway() {
        return midway;
    }

    /** Whether the profile changes the path's addresses (a workload keyed by address cannot follow it). */
    public boolean rebinds() {
        return this == REBIND;
    }
}
