package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Datagrams waiting for their arrival time, on one event loop: a binary min-heap over parallel arrays (arrival time,
 * then insertion order, so equal times keep FIFO order), drained by one timer re-armed only when the earliest
 * deadline moves earlier. The timer fires {@code batchWindowNs} after the earliest deadline and releases everything
 * due by then with one flush: a datagram leaves at most that late, never early, and at high rates one wake-up (and
 * one sendmmsg) serves many datagrams instead of one each. No allocation per datagram; bounded in datagrams ({@code capacity}) and bytes
 * ({@code capacityBytes}): a datagram beyond either is dropped and counted. Not thread-safe: event-loop only.
 *
 * <p>How the loop waits: the timer is the event loop's (epoll's own timeout with epoll, whose wake-up the kernel may
 * put off by the thread's timer slack, 50 us by default). With {@code spinNs} &gt; 0 the timer is set that much before
 * the release time and the loop busy-waits the rest, so the release happens at the release time rather than whenever
 * the wake-up lands; it costs up to {@code spinNs} of CPU per wake-up, during which the loop reads nothing.
 */
final class DelayLine {
    /** Where due datagrams go; takes ownership of {@code datagram}. */
    interface Output {
        /** Hands on {@code datagram}, which its link model said to release at {@code dueNs}. */
        void deliver(ByteBuf datagram, UdpSession session, boolean toUpstream, long dueNs);

        /** Called once after a batch of deliveries. */
        void flush();
    }

    private final EventLoop loop;
    private final Output output;
    private final int capacity;
    private final long capacityBytes;
    private final long batchWindowNs;
    private final long spinNs;
    private long bytes;
    private final Runnable drainTask = this::drain;
    private long[] arrivalNs = new long[256];
    private long[] order = new long[256];
    private ByteBuf[] datagrams = new ByteBuf[256];
    private UdpSession[] sessions = new UdpSession[256];
    private boolean[] upstream = new boolean[256];
    private int size;
    private long nextOrder;
    private boolean armed;
    private long armedNs;
    private long droppedOverflow;
    private final WakeupTrace trace = WakeupTrace.ENABLED ? new WakeupTrace() : null;

    DelayLine(EventLoop loop, Output output, int capacity, long capacityBytes, long batchWindowNs, long spinNs) {
        this.loop = loop;
        this.spinNs = spinNs;
        this.output = output;
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
        this.batchWindowNs = batchWindowNs;
    }

    /** Queues {@code datagram} (ownership taken) for delivery at {@code dueNs}. */
    void add(long dueNs, ByteBuf datagram, UdpSession session, boolean toUpstream) {
        if (size == capacity || bytes + datagram.readableBytes() > capacityBytes) {
            droppedOverflow++;
            datagram.release();
            return;
        }
        if (size == arrivalNs.length) {
            grow();
        }
        int i = size++;
        bytes += datagram.readableBytes();
        arrivalNs[i] = dueNs;
        order[i] = nextOrder++;
        datagrams[i] = datagram;
        sessions[i] = session;
        upstream[i] = toUpstream;
        siftUp(i);
        if (!armed || dueNs - armedNs < 0) {
            arm(dueNs);
        }
    }

    long droppedOverflow() {
        return droppedOverflow;
    }

    int size() {
        return size;
    }

    /** Releases everything still queued (the proxy is stopping). */
    void clear() {
        for (int i = 0; i < size; i++) {
            datagrams[i].release();
            datagrams[i] = null;
            sessions[i] = null;
        }
        size = 0;
        bytes = 0;
    }

    private void arm(long dueNs) {
        armed = true;
        armedNs = dueNs;
        loop.schedule(drainTask, Math.max(0L, dueNs + batchWindowNs - spinNs - System.nanoTime()),
            TimeUnit.NANOSECONDS);
    }

    /** The wake-up trace ({@link WakeupTrace#ENABLED}), else null. */
    WakeupTrace trace() {
        return trace;
    }

    private void drain() {
        armed = false;
        long nowNs = System.nanoTime();
        if (trace != null) {
            trace.woke(armedNs + batchWindowNs, nowNs);
        }
        long firstDueNs = size > 0 ? arrivalNs[0] : nowNs;
        int batch = 0;
        if (size > 0 && spinNs > 0) {
            long releaseNs = arrivalNs[0] + batchWindowNs;
            // Only a wake-up within spinNs of the release spins: a stale timer (the deadline moved) re-arms instead.
            if (releaseNs - nowNs > 0 && releaseNs - nowNs <= spinNs) {
                while ((nowNs = System.nanoTime()) - releaseNs < 0) {
                    Thread.onSpinWait();
                }
            }
        }
        while (size > 0 && arrivalNs[0] - nowNs <= 0) {
            ByteBuf d = datagrams[0];
            UdpSession s = sessions[0];
            boolean up = upstream[0];
            long dueNs = arrivalNs[0];
            bytes -= d.readableBytes();
            removeHead();
            output.deliver(d, s, up, dueNs);
            batch++;
        }
        if (batch > 0) {
            output.flush();
            if (trace != null) {
                trace.flushed(firstDueNs, batch, System.nanoTime());
            }
        }
        if (size > 0 && (!armed || arrivalNs[0] - armedNs < 0)) {
            arm(arrivalNs[0]);
        }
    }

    private void removeHead() {
        int last = --size;
        move(last, 0);
        datagrams[last] = null;
        sessions[last] = null;
        if (size > 0) {
            siftDown(0);
        }
    }

    private boolean before(int a, int b) {
        long d = arrivalNs[a] - arrivalNs[b];
        return d < 0 || (d == 0 && order[a] < order[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && before(left + 1, left) ? left + 1 : left;
            if (!before(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        long t = arrivalNs[a];
        arrivalNs[a] = arrivalNs[b];
        arrivalNs[b] = t;
        t = order[a];
        order[a] = order[b];
        order[b] = t;
        ByteBuf d = datagrams[a];
        datagrams[a] = datagrams[b];
        datagrams[b] = d;
        UdpSession s = sessions[a];
        sessions[a] = sessions[b];
        sessions[b] = s;
        boolean u = upstream[a];
        upstream[a] = upstream[b];
        upstream[b] = u;
    }

    private void move(int from, int to) {
        arrivalNs[to] = arrivalNs[from];
        order[to] = order[from];
        datagrams[to] = datagrams[from];
        sessions[to] = sessions[from];
        upstream[to] = upstream[from];
    }

    private void grow() {
        int n = Math.min(capacity, arrivalNs.length * 2);
        arrivalNs = Arrays.copyOf(arrivalNs, n);
        order = Arrays.copyOf(order, n);
        datagrams = Arrays.copyOf(datagrams, n);
        sessions = Arrays.copyOf(sessions, n);
        upstream = Arrays.copyOf(upstream, n);
    }
}
