package io.shoal.peer.swarm;

import java.util.PriorityQueue;

/** A virtual clock with an event queue: actions run in time order (ties in scheduling order); nothing sleeps. */
final class SimClock {
    private record Event(long atNs, long seq, Runnable action) { }

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
            a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private long nowNs;
    private long seq;
    private long events;

    long nowNs() {
        return nowNs;
    }

    long events() {
        return events;
    }

    void at(long atNs, Runnable action) {
        queue.add(new Event(Math.max(atNs, nowNs), seq++, action));
    }

    /** Runs one event; false when none is left or the next is past {@code untilNs}. */
    boolean step(long untilNs) {
        Event e = queue.peek();
        if (e == null || e.atNs > untilNs) {
            return false;
        }
        queue.poll();
        nowNs = e.atNs;
        events++;
        e.action.run();
        return true;
    }
}
