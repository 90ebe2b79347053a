package io.shoal.netem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Why a delay line's release was late: per timer wake-up (one {@code drain}), when the timer was due, when the loop
 * woke, when the batch was flushed, how many datagrams it held and how many the loop read since the previous
 * wake-up, and the loop thread's scheduler statistics over the same span ({@code /proc/thread-self/schedstat}: time
 * on a CPU, time runnable but waiting for one, times scheduled). Keeps the {@link #WORST} latest wake-ups (by their
 * earliest datagram's lateness) and counts every wake-up whose batch was later than {@link #LATE_NS} by
 * its dominant cause. Opt-in ({@code -Dshoal.netem.wakeTrace=true}): the schedstat read is one system call per
 * wake-up. Allocation-free after construction (a direct buffer and fixed arrays). Event-loop only;
 * {@link #summary} formats a copy.
 */
final class WakeupTrace {
    /** Whether proxies trace their wake-ups ({@code -Dshoal.netem.wakeTrace}, default false). */
    static final boolean ENABLED = Boolean.getBoolean("shoal.netem.wakeTrace");
    /** Wake-ups kept in full: the latest. */
    static final int WORST = 12;
    /** A batch whose first datagram left later than this counts as late (issue 4's accuracy). */
    static final long LATE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Dominant cause of a late batch. */
    enum Cause {
        /** Runnable but another thread had the CPU between the timer's due time and the wake-up. */
        RUN_QUEUE,
        /** On the CPU, busy with something else (reads, other tasks) when the timer was due. */
        BUSY_BEFORE,
        /** Neither waiting nor running: the timer fired late or the thread was blocked (a safepoint, a lock). */
        TIMER_OR_BLOCKED,
        /** Woke on time; the batch itself (writes, flush) took long. */
        PROCESSING
    }

    private static final int FIELDS = 11;
    private static final int DUE = 0;
    private static final int WAKE = 1;
    private static final int DONE = 2;
    private static final int FIRST_DUE = 3;
    private static final int BATCH = 4;
    private static final int READS = 5;
    private static final int RUN = 6;
    private static final int WAIT = 7;
    private static final int SLICES = 8;
    private static final int GAP = 9;
    private static final int CAUSE = 10;

    private final long[] worst = new long[WORST * FIELDS];
    private int kept;
    private final long[] lateBatches = new long[Cause.values().length];
    private final long[] lateDatagrams = new long[Cause.values().length];
    private long wakeups;
    private long datagrams;
    private final ByteBuffer statBuf = ByteBuffer.allocateDirect(128);
    private final long[] stat = new long[3];
    private final long[] prevStat = new long[3];
    private FileChannel schedstat;
    private boolean statFailed;
    private long prevDoneNs;
    private long readsSinceWake;
    private long wakeNs;
    private long dueNs;
    private long runAtWake;
    private long waitAtWake;
    private long slicesAtWake;

    /** Counts datagrams the loop read (they delay a wake-up's batch if the timer falls due meanwhile). */
    void read() {
        readsSinceWake++;
    }

    /** The loop woke for a timer due at {@code timerDueNs}, now {@code nowNs}; reads the thread's schedstat. */
    void woke(long timerDueNs, long nowNs) {
        readStat();
        woke(timerDueNs, nowNs, stat[0] - prevStat[0], stat[1] - prevStat[1], stat[2] - prevStat[2]);
        System.arraycopy(stat, 0, prevStat, 0, 3);
    }

    /**
     * As {@link #woke(long, long)} with the thread's time on a CPU ({@code ranNs}), runnable but waiting
     * ({@code waitedNs}) and times scheduled since the previous wake-up given.
     */
    void woke(long timerDueNs, long nowNs, long ranNs, long waitedNs, long slices) {
        dueNs = timerDueNs;
        wakeNs = nowNs;
        runAtWake = ranNs;
        waitAtWake = waitedNs;
        slicesAtWake = slices;
    }

    /** Late batches put down to {@code cause} so far. */
    long lateBatches(Cause cause) {
        return lateBatches[cause.ordinal()];
    }

    /** Wake-ups kept in full so far (at most {@link #WORST}). */
    int kept() {
        return kept;
    }

    /** The lateness of the {@code rank}-th latest wake-up kept (0: the latest), ns. */
    long keptLatenessNs(int rank) {
        return lateness(rank);
    }

    /** The wake-up's batch of {@code batch} datagrams, the first due at {@code firstDueNs}, was flushed at {@code doneNs}. */
    void flushed(long firstDueNs, int batch, long doneNs) {
        wakeups++;
        datagrams += batch;
        long latenessNs = doneNs - firstDueNs;
        long gapNs = wakeNs - prevDoneNs;
        prevDoneNs = doneNs;
        long reads = readsSinceWake;
        readsSinceWake = 0;
        if (latenessNs <= LATE_NS) {
            return;
        }
        Cause cause = cause(Math.max(0, wakeNs - dueNs), doneNs - wakeNs);
        lateBatches[cause.ordinal()]++;
        lateDatagrams[cause.ordinal()] += batch;
        if (kept == WORST && latenessNs <= lateness(WORST - 1)) {
            return;
        }
        int slot = kept < WORST ? kept++ : WORST - 1;
        int o = slot * FIELDS;
        worst[o + DUE] = dueNs;
        worst[o + WAKE] = wakeNs;
        worst[o + DONE] = doneNs;
        worst[o + FIRST_DUE] = firstDueNs;
        worst[o + BATCH] = batch;
        worst[o + READS] = reads;
        worst[o + RUN] = runAtWake;
        worst[o + WAIT] = waitAtWake;
        worst[o + SLICES] = slicesAtWake;
        worst[o + GAP] = gapNs;
        worst[o + CAUSE] = cause.ordinal();
        // Keep the slots sorted by lateness, latest first, so the last is the one to replace.
        for (int i = slot; i > 0 && lateness(i) > lateness(i - 1); i--) {
            for (int f = 0; f < FIELDS; f++) {
                long t = worst[i * FIELDS + f];
                worst[i * FIELDS + f] = worst[(i - 1) * FIELDS + f];
                worst[(i - 1) * FIELDS + f] = t;
            }
        }
    }

    private long lateness(int slot) {
        return worst[slot * FIELDS + DONE] - worst[slot * FIELDS + FIRST_DUE];
    }

    private Cause cause(long wakeLateNs, long processingNs) {
        if (processingNs > wakeLateNs) {
            return Cause.PROCESSING;
        }
        if (waitAtWake >= wakeLateNs / 2) {
            return Cause.RUN_QUEUE;
        }
        if (runAtWake >= wakeLateNs / 2) {
            return Cause.BUSY_BEFORE;
        }
        return Cause.TIMER_OR_BLOCKED;
    }

    private void readStat() {
        if (statFailed) {
            return;
        }
        try {
            if (schedstat == null) {
                schedstat = FileChannel.open(Path.of("/proc/thread-self/schedstat"), StandardOpenOption.READ);
            }
            statBuf.clear();
            schedstat.read(statBuf, 0);
            int field = 0;
            long v = 0;
            for (int i = 0; i < statBuf.position() && field < 3; i++) {
                byte b = statBuf.get(i);
                if (b >= '0' && b <= '9') {
                    v = v * 10 + (b - '0');
                } else {
                    stat[field++] = v;
                    v = 0;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            statFailed = true; // not Linux: the causes then rest on timing alone
        }
    }

    /** Wake-ups so far, the late ones by cause, and the worst kept; {@code reset} starts over. */
    String summary(boolean reset) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%d wake-ups, %.1f datagrams each; late (> %d us) by cause:", wakeups,
            wakeups == 0 ? 0.0 : (double) datagrams / wakeups, LATE_NS / 1000));
        for (Cause c : Cause.values()) {
            s.append(String.format(" %s %d (%d datagrams)", c, lateBatches[c.ordinal()], lateDatagrams[c.ordinal()]));
        }
        for (int i = 0; i < kept; i++) {
            int o = i * FIELDS;
            s.append(String.format("%n  at %d: late %d us = timer %d us late + batch %d us; %d datagrams, %d read "
                    + "since the last wake-up %d us before; schedstat since then: ran %d us, waited %d us, %d slices; %s",
                worst[o + WAKE], lateness(i) / 1000, (worst[o + WAKE] - worst[o + DUE]) / 1000,
                (worst[o + DONE] - worst[o + WAKE]) / 1000, worst[o + BATCH], worst[o + READS], worst[o + GAP] / 1000,
                worst[o + RUN] / 1000, worst[o + WAIT] / 1000, worst[o + SLICES],
                Cause.values()[(int) worst[o + CAUSE]]));
        }
        if (reset) {
            kept = 0;
            wakeups = 0;
            datagrams = 0;
            java.util.Arrays.fill(lateBatches, 0);
            java.util.Arrays.fill(lateDatagrams, 0);
        }
        return s.toString();
    }
}
