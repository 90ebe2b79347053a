package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Wraps a {@link SimEndpoint} the way a busy event loop sees its socket: datagrams that arrive wait in the socket
 * buffer and are read all at once when the loop next comes round, every {@code readPeriodNs} (a read batch of
 * {@code recvmmsg}). Acknowledgements therefore reach a sender in bursts, and the receiver acknowledges a whole batch
 * together, as on loopback. With {@code stallChance} a round is late by {@code stallNs} (the loop's thread was
 * descheduled on a loaded machine, or busy with other work): the socket fills meanwhile and is then read in one long
 * batch. Timers and transmissions pass straight through; a stall delays only reads. Holds a reference to each waiting datagram
 * and releases it once delivered or on {@link #close()}.
 */
public final class BatchedReadEndpoint implements SimEndpoint {
    private final SimEndpoint inner;
    private final long readPeriodNs;
    private final double stallChance;
    private final long stallNs;
    private final SplittableRandom random;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private long readAtNs;

    /** Reads every {@code readPeriodNs}, never late. */
    public BatchedReadEndpoint(final SimEndpoint inner, final long readPeriodNs) {
        this(inner, readPeriodNs, 0, 0, 0);
    }

    /** Reads every {@code readPeriodNs}; each round is late by {@code stallNs} with {@code stallChance} (seeded). */
    public BatchedReadEndpoint(final SimEndpoint inner, final long readPeriodNs, final double stallChance,
                               final long stallNs, final long seed) {
        if (readPeriodNs <= 0 || stallNs < 0 || stallChance < 0 || stallChance > 1) {
            throw new IllegalArgumentException("bad read schedule: " + readPeriodNs + " ns, " + stallChance + " x "
                + stallNs + " ns");
        }
        this.inner = inner;
        this.readPeriodNs = readPeriodNs;
        this.stallChance = stallChance;
        this.stallNs = stallNs;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void handleDatagram(final long nowNs, final ByteBuf datagram) {
        if (waiting.isEmpty()) {
            readAtNs = Math.floorDiv(nowNs, readPeriodNs) * readPeriodNs + readPeriodNs; // the loop's next round
            if (stallChance > 0 && random.nextDouble() < stallChance) {
                readAtNs += stallNs;
            }
        }
        waiting.add(datagram.retain());
    }

    @Override
    public void handleTimeout(final long nowNs) {
        if (!waiting.isEmpty() && readAtNs - nowNs <= 0) {
            ByteBuf d;
            while ((d = waiting.poll()) != null) {
                try {
                    inner.handleDatagram(nowNs, d);
                } finally {
                    d.release();
                }
            }
        }
        if (inner.nextDeadlineNs() - nowNs <= 0 || waiting.isEmpty()) {
            inner.handleTimeout(nowNs);
        }
    }

    @Override
    public int pollTransmit(final long nowNs, final ByteBuf out) {
        return inner.pollTransmit(nowNs, out);
    }

    @Override
    public long nextDeadlineNs() {
        long innerNs = inner.nextDeadlineNs();
        if (innerNs != NO_DEADLINE) {
            // Timers run in the loop's rounds too: a pacer's wake-up waits for the next round.
            innerNs = Math.floorDiv(innerNs + readPeriodNs - 1, readPeriodNs) * readPeriodNs;
        }
        if (waiting.isEmpty()) {
            return innerNs;
        }
        return innerNs == NO_DEADLINE || readAtNs - innerNs <= 0 ? readAtNs : innerNs;
    }

    @Override
    public int maxDatagramBytes() {
        return inner.maxDatagramBytes();
    }

    @Override
    public boolean isIdle() {
        return waiting.isEmpty() && inner.isIdle();
    }

    @Override
    public void close() {
        ByteBuf d;
        while ((d = waiting.poll()) != null) {
            d.release();
        }
        inner.close();
    }
}
