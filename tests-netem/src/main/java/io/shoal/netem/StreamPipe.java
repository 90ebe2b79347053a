package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a proxied TCP connection: chunks read from {@code source} pass the stream's toxics in chain order
 * and are written to {@code destination} at the time the toxics give them, never out of order. Toxicity is drawn
 * once per connection for each toxic, as Toxiproxy does. At most {@link #HIGH_WATER_BYTES} wait; beyond that, or
 * while the destination is not writable, the source stops being read (TCP backpressure, no unbounded queue).
 * Event-loop only.
 */
final class StreamPipe {
    static final int HIGH_WATER_BYTES = 1 << 20;
    static final int LOW_WATER_BYTES = 256 << 10;

    /** Per connection state of one toxic. */
    private static final class ToxicState {
        final ToxicType type;
        final boolean active;
        long lastOutNs;
        long bytes;
        boolean resetArmed;

        ToxicState(ToxicType type, boolean active) {
            this.type = type;
            this.active = active;
        }
    }

    /** A slice of the stream and when it may be written. */
    private record Piece(ByteBuf data, long dueNs) {
    }

    private final TcpLink link;
    private final ToxicChain chain;
    private final ToxicStream stream;
    final Channel source;
    final Channel destination;
    private final SplittableRandom random;
    private final Map<String, ToxicState> states = new HashMap<>();
    private final ArrayDeque<Piece> queue = new ArrayDeque<>();
    private final Runnable drainTask = this::drain;
    private long syncedVersion = -1;
    private long queuedBytes;
    private long lastDueNs;
    private boolean drainArmed;
    private boolean closeWhenDrained;
    private boolean limitReached;

    StreamPipe(TcpLink link, ToxicChain chain, ToxicStream stream, Channel source, Channel destination, long seed) {
        this.link = link;
        this.chain = chain;
        this.stream = stream;
        this.source = source;
        this.destination = destination;
        this.random = new SplittableRandom(seed);
        sync();
    }

    /**
     * Brings per-toxic state up to the chain: new toxics draw their toxicity, a removed {@code timeout} closes the
     * connection (Toxiproxy's timeout cleanup), a new active {@code timeout > 0} schedules the close.
     */
    void sync() {
        if (syncedVersion == chain.version()) {
            return;
        }
        syncedVersion = chain.version();
        Map<String, ToxicState> old = new HashMap<>(states);
        states.clear();
        for (Toxic t : chain.snapshot(stream)) {
            ToxicState s = old.remove(t.name());
            if (s == null) {
                s = new ToxicState(t.type(), t.toxicity() >= 1.0 || random.nextDouble() < t.toxicity());
                if (s.active && t.type() == ToxicType.TIMEOUT && t.nonNegative("timeout") > 0) {
                    source.eventLoop().schedule(link::close, t.nonNegative("timeout"), TimeUnit.MILLISECONDS);
                }
            }
            states.put(t.name(), s);
        }
        // States left in `old` belong to removed toxics; a removed active timeout ends the connection.
        for (Map.Entry<String, ToxicState> e : old.entrySet()) {
            if (e.getValue().active && e.getValue().type == ToxicType.TIMEOUT) {
                link.close();
            }
        }
    }

    /** Takes ownership of {@code chunk}, read from the source at {@code nowNs}. */
    void onRead(ByteBuf chunk, long nowNs) {
        sync();
        if (limitReached) {
            chunk.release();
            return;
        }
        List<Piece> pieces = new ArrayList<>(1);
        pieces.add(new Piece(chunk, nowNs));
        for (Toxic t : chain.snapshot(stream)) {
            ToxicState s = states.get(t.name());
            if (s == null || !s.active || pieces.isEmpty()) {
                continue;
            }
            pieces = apply(t, s, pieces, nowNs);
        }
        for (Piece p : pieces) {
            enqueue(p);
        }
        if (queuedBytes > HIGH_WATER_BYTES || !destination.isWritable()) {
            source.config().setAutoRead(false);
        }
    }

    private List<Piece> apply(Toxic t, ToxicState s, List<Piece> in, long nowNs) {
        switch (t.type()) {
            case LATENCY -> {
                List<Piece> out = new ArrayList<>(in.size());
                long jitter = t.nonNegative("jitter") * 1_000_000L;
                for (Piece p : in) {
                    long delay = t.nonNegative("latency") * 1_000_000L
                        + (jitter > 0 ? random.nextLong(-jitter, jitter) : 0);
                    s.lastOutNs = Math.max(s.lastOutNs, p.dueNs() + delay);
                    out.add(new Piece(p.data(), s.lastOutNs));
                }
                return out;
            }
            case BANDWIDTH -> {
                long rate = t.nonNegative("rate");
                return rate == 0 ? in : pace(in, rate, s);
            }
            case SLICER -> {
                return slice(in, t.nonNegative("average_size"), t.nonNegative("size_variation"),
                    t.nonNegative("delay") * 1_000L, s);
            }
            case TIMEOUT -> {
                in.forEach(p -> p.data().release());
                return new ArrayList<>();
            }
            case RESET_PEER -> {
                if (!s.resetArmed) {
                    s.resetArmed = true;
                    source.eventLoop().schedule(link::reset, t.nonNegative("timeout"), TimeUnit.MILLISECONDS);
                }
                in.forEach(p -> p.data().release());
                return new ArrayList<>();
            }
            case LIMIT_DATA -> {
                return limit(in, t.nonNegative("bytes"), s);
            }
            default -> {
                return in; // slow_close acts on close, not on data
            }
        }
    }

    /**
     * Bandwidth as Toxiproxy paces it: {@code rate} KB/s (1 KB = 1000 bytes), chunks cut into slices of at most
     * 100 ms of data, each slice due when the previous one has had its share of time.
     */
    private static List<Piece> pace(List<Piece> in, long rateKBps, ToxicState s) {
        long sliceBytes = Math.max(1, rateKBps * 100);
        List<Piece> out = new ArrayList<>(in.size());
        for (Piece p : in) {
            ByteBuf data = p.data();
            while (data.isReadable()) {
                int n = (int) Math.min(sliceBytes, data.readableBytes());
                ByteBuf slice = n == data.readableBytes() ? data : data.readRetainedSlice(n);
                long start = Math.max(s.lastOutNs, p.dueNs());
                s.lastOutNs = start + n * 1_000_000L / rateKBps;
                out.add(new Piece(slice, start));
                if (slice == data) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Toxiproxy's slicer: pieces of {@code average ± variation} bytes, {@code delayNs} apart. An average of 0 passes
     * chunks through whole.
     */
    private List<Piece> slice(List<Piece> in, long average, long variation, long delayNs, ToxicState s) {
        if (average <= 0) {
            return in;
        }
        List<Piece> out = new ArrayList<>();
        for (Piece p : in) {
            ByteBuf data = p.data();
            long due = Math.max(s.lastOutNs, p.dueNs());
            while (data.isReadable()) {
                long size = average + (variation > 0 ? random.nextLong(-variation, variation + 1) : 0);
                int n = (int) Math.max(1, Math.min(size, data.readableBytes()));
                ByteBuf piece = n == data.readableBytes() ? data : data.readRetainedSlice(n);
                out.add(new Piece(piece, due));
                due += delayNs;
                if (piece == data) {
                    break;
                }
            }
            s.lastOutNs = due;
        }
        return out;
    }

    private List<Piece> limit(List<Piece> in, long limitBytes, ToxicState s) {
        List<Piece> out = new ArrayList<>(in.size());
        for (Piece p : in) {
            long room = limitBytes - s.bytes;
            int n = p.data().readableBytes();
            if (room >= n && !limitReached) {
                s.bytes += n;
                out.add(p);
                continue;
            }
            if (room > 0 && !limitReached) {
                s.bytes += room;
                out.add(new Piece(p.data().readRetainedSlice((int) room), p.dueNs()));
            }
            p.data().release();
            limitReached = true;
        }
        if (s.bytes >= limitBytes) {
            limitReached = true;
        }
        if (limitReached) {
            closeWhenDrained = true;
        }
        return out;
    }

    private void enqueue(Piece p) {
        long due = Math.max(p.dueNs(), lastDueNs); // a stream never reorders
        lastDueNs = due;
        queue.add(new Piece(p.data(), due));
        queuedBytes += p.data().readableBytes();
        if (!drainArmed) {
            drain();
        }
    }

    /** The source reached EOF: close the destination once everything queued is written, after any slow_close. */
    void onSourceClosed() {
        closeWhenDrained = true;
        if (!drainArmed) {
            drain();
        }
    }

    /** The destination's writability changed: resume reading when there is room again. */
    void onWritabilityChanged() {
        if (destination.isWritable() && queuedBytes < LOW_WATER_BYTES && !limitReached) {
            source.config().setAutoRead(true);
        }
    }

    /** The destination just connected: write what waited for it. */
    void destinationReady() {
        if (!drainArmed) {
            drain();
        }
    }

    private void drain() {
        drainArmed = false;
        if (!destination.isActive() && destination.isOpen()) {
            return; // still connecting: destinationReady() resumes; the queue is bounded by pausing the source
        }
        long nowNs = System.nanoTime();
        boolean wrote = false;
        Piece head;
        while ((head = queue.peek()) != null && head.dueNs() - nowNs <= 0) {
            queue.poll();
            queuedBytes -= head.data().readableBytes();
            destination.write(head.data(), destination.voidPromise());
            wrote = true;
        }
        if (wrote) {
            destination.flush();
        }
        if (head != null) {
            drainArmed = true;
            source.eventLoop().schedule(drainTask, head.dueNs() - nowNs, TimeUnit.NANOSECONDS);
        } else if (closeWhenDrained) {
            link.closeAfter(stream, slowCloseMs());
        }
        onWritabilityChanged();
    }

    private long slowCloseMs() {
        long ms = 0;
        for (Toxic t : chain.snapshot(stream)) {
            ToxicState s = states.get(t.name());
            if (t.type() == ToxicType.SLOW_CLOSE && s != null && s.active) {
                ms = Math.max(ms, t.nonNegative("delay"));
            }
        }
        return ms;
    }

    /** Releases what is still queued (the connection is closing). */
    void discard() {
        Piece p;
        while ((p = queue.poll()) != null) {
            p.data().release();
        }
        queuedBytes = 0;
    }
}
