package io.shoal.netem;

import java.util.Arrays;

/**
 * One toxic as the API sees it: immutable, so the data path reads a consistent snapshot while the API replaces it.
 *
 * @param name unique per proxy across both streams
 * @param type what it does
 * @param stream the direction it applies to
 * @param toxicity probability in [0, 1] that it applies: drawn once per connection on TCP proxies (as Toxiproxy
 *     does), once per datagram on UDP proxies
 * @param values attribute values in {@link ToxicType#attributes()} order; never modified after construction
 * @param addedAtNs {@code System.nanoTime()} when the toxic was created; the clock of {@code blackout} and
 *     {@code rebind}
 */
public record Toxic(String name, ToxicType type, ToxicStream stream, double toxicity, double[] values,
                    long addedAtNs) {
    /** The value of attribute {@code attribute} of this toxic's type. */
    public double value(String attribute) {
        int i = type.indexOf(attribute);
        if (i < 0) {
            throw new IllegalArgumentException(type.jsonName() + " has no attribute " + attribute);
        }
        return values[i];
    }

    /** An integer attribute, with negative values read as 0 (Toxiproxy treats them as "off"). */
    long nonNegative(String attribute) {
        return Math.max(0L, (long) value(attribute));
    }

    /** This toxic with other attribute values and toxicity. */
    Toxic with(double newToxicity, double[] newValues) {
        return new Toxic(name, type, stream, newToxicity, newValues, addedAtNs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Toxic t && t.name.equals(name) && t.type == type && t.stream == stream
            && t.toxicity == toxicity && Arrays.equals(t.values, values) && t.addedAtNs == addedAtNs;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Toxic{" + name + ", " + type.jsonName() + ", " + stream.jsonName() + ", toxicity=" + toxicity + ", "
            + Arrays.toString(values) + '}';
    }
}
