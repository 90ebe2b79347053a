package io.shoal.netem;

import java.util.ArrayList;
import java.util.List;

/**
 * The toxics of one proxy, in the order they were added (Toxiproxy chains them in that order), names unique across
 * both streams. Written by the API under this object's lock; read by the data path without locks through
 * {@link #snapshot(ToxicStream)}, an immutable array replaced on every change, and {@link #version()}.
 */
final class ToxicChain {
    private static final Toxic[] NONE = new Toxic[0];

    private final List<Toxic> toxics = new ArrayList<>();
    private volatile Toxic[] upstream = NONE;
    private volatile Toxic[] downstream = NONE;
    private volatile long version;
    private final Runnable onChange;

    /** {@code onChange} runs on the API thread after every change, so the proxy can react (close, rebuild). */
    ToxicChain(Runnable onChange) {
        this.onChange = onChange;
    }

    /** The toxics of {@code stream} in chain order; never modified, replaced on change. */
    Toxic[] snapshot(ToxicStream stream) {
        return stream == ToxicStream.UPSTREAM ? upstream : downstream;
    }

    /** Increases on every change; the data path compares it to rebuild what it derived from a snapshot. */
    long version() {
        return version;
    }

    /** Upstream toxics first, then downstream, each in chain order (the order of Toxiproxy's list). */
    synchronized List<Toxic> list() {
        List<Toxic> all = new ArrayList<>(toxics.size());
        for (Toxic t : upstream) {
            all.add(t);
        }
        for (Toxic t : downstream) {
            all.add(t);
        }
        return all;
    }

    synchronized Toxic get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw ApiException.toxicNotFound();
        }
        return toxics.get(i);
    }

    void add(Toxic toxic) {
        synchronized (this) {
            if (indexOf(toxic.name()) >= 0) {
                throw new ApiException(409, "toxic already exists");
            }
            toxics.add(toxic);
            publish();
        }
        onChange.run();
    }

    /** Replaces the toxic of the same name with {@code updated}. */
    void replace(Toxic updated) {
        synchronized (this) {
            int i = indexOf(updated.name());
            if (i < 0) {
                throw ApiException.toxicNotFound();
            }
            toxics.set(i, updated);
            publish();
        }
        onChange.run();
    }

    void remove(String name) {
        synchronized (this) {
            int i = indexOf(name);
            if (i < 0) {
                throw ApiException.toxicNotFound();
            }
            toxics.remove(i);
            publish();
        }
        onChange.run();
    }

    void clear() {
        synchronized (this) {
            toxics.clear();
            publish();
        }
        onChange.run();
    }

    private int indexOf(String name) {
        for (int i = 0; i < toxics.size(); i++) {
            if (toxics.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void publish() {
        upstream = filter(ToxicStream.UPSTREAM);
        downstream = filter(ToxicStream.DOWNSTREAM);
        version++;
    }

    private Toxic[] filter(ToxicStream stream) {
        List<Toxic> out = new ArrayList<>();
        for (Toxic t : toxics) {
            if (t.stream() == stream) {
                out.add(t);
            }
        }
        return out.isEmpty() ? NONE : out.toArray(NONE);
    }
}
