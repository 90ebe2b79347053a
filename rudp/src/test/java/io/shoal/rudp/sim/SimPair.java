package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.impair.LinkModel;
import io.shoal.rudp.impair.LinkStats;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Two {@link SimEndpoint}s joined by one {@link LinkModel} each way on a {@link VirtualClock}, in the style of quinn's
 * {@code Pair} (STYLE.md 1.4, 5.7). Datagrams in flight wait in one queue ordered by arrival time, ties broken by send
 * order. {@link #step()} delivers what is due, runs due timers, drains both sides' transmissions into their links, then
 * advances the clock to the earlier of the next arrival and the next deadline.
 *
 * <p>Side {@link #CLIENT} sends over link 0, side {@link #SERVER} over link 1. Each link's randomness comes from
 * {@link SimSeeds#mix}{@code (seed, side)}, so one seed gives one trace. Copies in flight are allocated from the
 * pair's allocator and released on delivery or {@link #close()}. Not thread-safe.
 */
public final class SimPair implements AutoCloseable {
    public static final int CLIENT = 0;
    public static final int SERVER = 1;

    /** Observes every delivery, e.g. to record a trace. The datagram is borrowed for the call. */
    @FunctionalInterface
    public interface DeliveryListener {
        void onDelivery(long nowNs, int toSide, ByteBuf datagram);
    }

    /** Steps at one instant without progress after which the simulation is declared stuck (a broken deadline). */
    private static final int MAX_STEPS_WITHOUT_TIME = 100_000;
    private static final int MAX_DATAGRAMS_PER_POLL = 10_000_000;

    private final long seed;
    private final VirtualClock clock;
    private final SimEndpoint[] endpoints;
    private final LinkModel[] links;
    private final LinkModel.Sink[] sinks;
    private final ByteBuf[] scratch;
    private final ByteBufAllocator allocator;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    private DeliveryListener listener;
    private long sendSequence;
    private long steps;
    private int stepsAtSameTime;
    private boolean closed;

    /**
     * A pair with {@code clientToServer} and {@code serverToClient} links, randomness from {@code seed}, copies in
     * flight from {@code allocator}, starting at {@code clock}'s time.
     */
    public SimPair(final long seed, final VirtualClock clock, final LinkConfig clientToServer,
                   final LinkConfig serverToClient, final SimEndpoint client, final SimEndpoint server,
                   final ByteBufAllocator allocator) {
        this.seed = seed;
        this.clock = clock;
        this.allocator = allocator;
        this.endpoints = new SimEndpoint[] {client, server};
        this.links = new LinkModel[] {
            new LinkModel(clientToServer, SimSeeds.mix(seed, CLIENT), allocator),
            new LinkModel(serverToClient, SimSeeds.mix(seed, SERVER), allocator)};
        this.sinks = new LinkModel.Sink[] {
            (arrivalNs, d) -> enqueue(arrivalNs, SERVER, d),
            (arrivalNs, d) -> enqueue(arrivalNs, CLIENT, d)};
        this.scratch = new ByteBuf[] {
            allocator.heapBuffer(client.maxDatagramBytes()),
            allocator.heapBuffer(server.maxDatagramBytes())};
    }

    /** A pair with the same link configuration both ways, starting at time zero, on the default allocator. */
    public static SimPair of(final long seed, final LinkConfig link, final SimEndpoint client,
                             final SimEndpoint server) {
        return new SimPair(seed, new VirtualClock(), link, link, client, server, ByteBufAllocator.DEFAULT);
    }

    public long seed() {
        return seed;
    }

    public VirtualClock clock() {
        return clock;
    }

    public long nowNs() {
        return clock.nanoTime();
    }

    public SimEndpoint endpoint(final int side) {
        return endpoints[side];
    }

    /** The link carrying what {@code fromSide} sends. */
    public LinkModel link(final int fromSide) {
        return links[fromSide];
    }

    /** Counters of the link carrying what {@code fromSide} sends. */
    public LinkStats linkStats(final int fromSide) {
        return links[fromSide].stats();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public long steps() {
        return steps;
    }

    public void deliveryListener(final DeliveryListener listener) {
        this.listener = listener;
    }

    /** Runs one step; false when nothing is in flight and no side has a deadline (the clock did not move). */
    public boolean step() {
        return stepUntil(Long.MAX_VALUE);
    }

    /**
     * Steps until virtual time reaches {@code untilNs} (absolute) and everything due by then has run; the clock ends
     * exactly there.
     */
    public void drive(final long untilNs) {
        while (true) {
            if (!stepUntil(untilNs)) {
                if (clock.nanoTime() - untilNs < 0) {
                    clock.advanceTo(untilNs);
                }
                return;
            }
            if (clock.nanoTime() - untilNs >= 0 && nextEventNs() - untilNs > 0) {
                return;
            }
        }
    }

    /** Steps until {@code condition} holds or {@code budgetNs} of virtual time pass; returns the condition. */
    public boolean driveUntil(final BooleanSupplier condition, final long budgetNs) {
        final long deadlineNs = clock.nanoTime() + budgetNs;
        while (!condition.getAsBoolean()) {
            if (clock.nanoTime() - deadlineNs >= 0 || !stepUntil(deadlineNs)) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /**
     * Steps until nothing is in flight and both sides are {@link SimEndpoint#isIdle() idle}; fails with the seed if
     * that takes more than {@code maxSteps}. Returns the steps taken.
     */
    public long driveBounded(final long maxSteps) {
        for (long n = 0; n < maxSteps; n++) {
            if (isQuiet()) {
                return n;
            }
            if (!step() && isQuiet()) {
                return n + 1;
            }
        }
        if (isQuiet()) {
            return maxSteps;
        }
        throw new AssertionError("simulation not quiet after " + maxSteps + " steps at t=" + clock.nanoTime()
            + " ns with " + inFlight.size() + " datagrams in flight; seed " + SimSeeds.format(seed));
    }

    /** True when nothing is in flight and both sides are idle. */
    public boolean isQuiet() {
        return inFlight.isEmpty() && endpoints[CLIENT].isIdle() && endpoints[SERVER].isIdle();
    }

    private boolean stepUntil(final long limitNs) {
        if (closed) {
            throw new IllegalStateException("pair is closed");
        }
        steps++;
        final long nowNs = clock.nanoTime();
        deliverDue(nowNs);
        for (int side = 0; side < 2; side++) {
            if (endpoints[side].nextDeadlineNs() - nowNs <= 0) {
                endpoints[side].handleTimeout(nowNs);
            }
        }
        drainTransmit(CLIENT, nowNs);
        drainTransmit(SERVER, nowNs);
        final long nextNs = nextEventNs();
        if (nextNs == SimEndpoint.NO_DEADLINE) {
            return false;
        }
        if (nextNs - nowNs > 0) {
            clock.advanceTo(nextNs - limitNs < 0 ? nextNs : Math.max(limitNs, nowNs));
            stepsAtSameTime = 0;
        } else if (++stepsAtSameTime > MAX_STEPS_WITHOUT_TIME) {
            throw new IllegalStateException("simulation stuck at t=" + nowNs + " ns: deadlines "
                + endpoints[CLIENT].nextDeadlineNs() + "/" + endpoints[SERVER].nextDeadlineNs() + " ns, next arrival "
                + (inFlight.isEmpty() ? "none" : inFlight.peek().arrivalNs + " ns") + "; seed " + SimSeeds.format(seed));
        }
        return true;
    }

    private void deliverDue(final long nowNs) {
        InFlight head;
        while ((head = inFlight.peek()) != null && head.arrivalNs - nowNs <= 0) {
            inFlight.poll();
            try {
                if (listener != null) {
                    listener.onDelivery(nowNs, head.toSide, head.datagram);
                }
                endpoints[head.toSide].handleDatagram(nowNs, head.datagram);
            } finally {
                head.datagram.release();
            }
        }
    }

    private void drainTransmit(final int side, final long nowNs) {
        final ByteBuf out = scratch[side];
        for (int n = 0; n < MAX_DATAGRAMS_PER_POLL; n++) {
            out.clear();
            final int length = endpoints[side].pollTransmit(nowNs, out);
            if (length <= 0) {
                return;
            }
            final ByteBuf copy = allocator.heapBuffer(length, length);
            copy.writeBytes(out, out.readerIndex(), length);
            links[side].transmit(nowNs, copy, sinks[side]);
        }
        throw new IllegalStateException("side " + side + " never stopped transmitting; seed " + SimSeeds.format(seed));
    }

    private long nextEventNs() {
        long next = SimEndpoint.NO_DEADLINE;
        final InFlight head = inFlight.peek();
        if (head != null) {
            next = head.arrivalNs;
        }
        for (int side = 0; side < 2; side++) {
            final long d = endpoints[side].nextDeadlineNs();
            if (d != SimEndpoint.NO_DEADLINE && (next == SimEndpoint.NO_DEADLINE || d - next < 0)) {
                next = d;
            }
        }
        return next;
    }

    private void enqueue(final long arrivalNs, final int toSide, final ByteBuf datagram) {
        inFlight.add(new InFlight(arrivalNs, sendSequence++, toSide, datagram));
    }

    /** Closes both endpoints and releases every datagram in flight and the scratch buffers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        InFlight f;
        while ((f = inFlight.poll()) != null) {
            f.datagram.release();
        }
        for (int side = 0; side < 2; side++) {
            endpoints[side].close();
            scratch[side].release();
        }
    }

    private static final class InFlight implements Comparable<InFlight> {
        final long arrivalNs;
        final long sequence;
        final int toSide;
        final ByteBuf datagram;

        InFlight(final long arrivalNs, final long sequence, final int toSide, final ByteBuf datagram) {
            this.arrivalNs = arrivalNs;
            this.sequence = sequence;
            this.toSide = toSide;
            this.datagram = datagram;
        }

        @Override
        public int compareTo(final InFlight o) {
            final int byTime = Long.compare(arrivalNs, o.arrivalNs);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }
}
