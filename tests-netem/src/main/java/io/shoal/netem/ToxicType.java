package io.shoal.netem;

import java.util.List;
import java.util.Locale;

/**
 * Every toxic the proxy knows, with its attributes in the order the API returns them and their defaults.
 *
 * <p>The first seven are Toxiproxy 2.x's own types, with its attribute names and integer units (milliseconds, KB/s
 * where 1 KB is 1000 bytes, bytes, and microseconds for the slicer's delay). They work on TCP proxies as Toxiproxy
 * documents them and on UDP proxies per datagram. The rest are datagram toxics, accepted on UDP proxies only:
 * probabilities are fractions in [0, 1], times milliseconds, sizes bytes.
 */
public enum ToxicType {
    LATENCY(true, Attr.integer("latency", 0), Attr.integer("jitter", 0)),
    BANDWIDTH(true, Attr.integer("rate", 0)),
    SLOW_CLOSE(true, Attr.integer("delay", 0)),
    TIMEOUT(true, Attr.integer("timeout", 0)),
    RESET_PEER(true, Attr.integer("timeout", 0)),
    SLICER(true, Attr.integer("average_size", 0), Attr.integer("size_variation", 0), Attr.integer("delay", 0)),
    LIMIT_DATA(true, Attr.integer("bytes", 0)),
    /** Loss with a mean of {@code loss_rate}; {@code correlation} lengthens bursts (Gilbert-Elliott, same mean). */
    PACKET_LOSS(false, Attr.probability("loss_rate", 0.1), Attr.probability("correlation", 0)),
    /** Each datagram is sent twice with probability {@code rate}. */
    DUPLICATE(false, Attr.probability("rate", 0.01)),
    /** Each datagram gets 1 to 3 bits flipped with probability {@code rate}, and is delivered. */
    CORRUPT(false, Attr.probability("rate", 0.01)),
    /** A fraction {@code rate} of datagrams is held back {@code delay} ms, so later ones overtake it. */
    REORDER(false, Attr.probability("rate", 0.1), Attr.integer("delay", 10)),
    /** NAT rebinding: the proxy's upstream source port changes now, then every {@code interval} ms (0: once). */
    REBIND(false, Attr.integer("interval", 0)),
    /** Datagrams longer than {@code bytes} are dropped. */
    MTU(false, Attr.integer("bytes", 1500)),
    /** Everything is dropped for {@code duration} ms from when the toxic is added. */
    BLACKOUT(false, Attr.integer("duration", 1000));

    /**
     * One attribute: its JSON name, whether it is an integer (as Toxiproxy's all are; negative values are kept and
     * act as 0) or a probability (a fraction that must lie in [0, 1]), and its default.
     */
    record Attr(String name, boolean integer, double defaultValue) {
        static Attr integer(String name, double defaultValue) {
            return new Attr(name, true, defaultValue);
        }

        static Attr probability(String name, double defaultValue) {
            return new Attr(name, false, defaultValue);
        }
    }

    private final boolean tcp;
    private final List<Attr> attributes;

    ToxicType(boolean tcp, Attr... attributes) {
        this.tcp = tcp;
        this.attributes = List.of(attributes);
    }

    /** The lower-case name used in the JSON API ({@code slow_close}, {@code packet_loss}, ...). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for Toxiproxy's own types, which TCP proxies accept; datagram toxics are for UDP proxies only. */
    public boolean worksOnTcp() {
        return tcp;
    }

    List<Attr> attributes() {
        return attributes;
    }

    /** Index of attribute {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    double[] defaults() {
        double[] values = new double[attributes.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = attributes.get(i).defaultValue();
        }
        return values;
    }

    /** Parses a JSON name; null when unknown. */
    static ToxicType parse(String name) {
        for (ToxicType t : values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
