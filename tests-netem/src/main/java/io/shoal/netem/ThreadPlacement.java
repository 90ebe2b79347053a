package io.shoal.netem;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives this whole process a real-time scheduling class ({@code chrt -a -r -p 1}: every thread, round robin at the
 * lowest real-time priority) and pins named threads, found in {@code /proc/self/task}, to a CPU
 * ({@code taskset -p -c}). For {@link DelayAccuracyProbe}: on a machine shared with other work the proxy's and the
 * load's event loops then run as soon as their timers or sockets wake them, so the probe measures the proxy instead
 * of the scheduler's queue. The whole process, not only the event loops: a loop that waits for a JIT compiler thread
 * or a GC safepoint left in the ordinary queue waits just as long. The loops sleep in epoll between bursts, so they
 * take the CPU they need, not all of it. Linux only, and it needs root (CAP_SYS_NICE); otherwise the calls say what
 * they could not do.
 */
final class ThreadPlacement {
    /**
     * {@code -Dshoal.netem.sliceUs=N}: the custom EEVDF slice {@link #niceSelf} gives the proxy's loops
     * ({@link FairSlice}); 0 = the kernel's. Default 100 us: at 100k datagrams/s it took the proxy-side p99 from 2.4 to
     * 0.5 ms (medians of 10 interleaved pairs, both at nice -20).
     */
    static final long SLICE_NS = Long.getLong("shoal.netem.sliceUs", 100) * 1000;

    /**
     * {@code -Dshoal.netem.idleCompiler} (default false): whether {@link NetemServer#warmUp} ends by moving the JIT's
     * optimizing compiler thread to the idle class ({@link #idleCompiler}).
     */
    static final boolean IDLE_COMPILER = Boolean.getBoolean("shoal.netem.idleCompiler");

    private ThreadPlacement() {
    }

    /**
     * Moves this JVM's optimizing (C2) compiler threads to the idle scheduling class ({@code chrt -i -p 0 TID}; needs
     * root or CAP_SYS_NICE only to move them back): they then run only on a CPU nothing else wants, and a CPU running
     * only them counts as idle when the scheduler places a waking thread. Why: on 2 cores the compiler threads
     * compile the proxy's path for seconds after it starts serving at 100k datagrams/s (a whole core for 5-7 s
     * measured, past a 2 s warm-up), which leaves the proxy loop, the application and its receiver one core to share:
     * the proxy then waited 2-5 ms behind them in the run queue. The interpreter and C1 (tier 3) code keep serving
     * meanwhile; C1's compiler thread stays in the normal class, as its compilations are short and needed first.
     * Problems go to {@code problems}.
     */
    static void idleCompiler(List<String> problems) {
        List<String> tids = threadIds("C2 CompilerThre", problems);
        for (String tid : tids) {
            run(problems, "chrt", "-i", "-p", "0", tid);
        }
        if (tids.isEmpty()) {
            problems.add("no C2 compiler thread (an interpreter-only or C1-only JVM)");
        }
    }

    /** Every thread of this process, and those it starts later, real-time round robin; problems go to {@code problems}. */
    static void realtime(List<String> problems) {
        run(problems, "chrt", "-a", "-r", "-p", "1", Long.toString(ProcessHandle.current().pid()));
    }

    /**
     * Every thread of this process real-time round robin except those whose name starts with {@code exceptPrefix},
     * which are put back in the normal class: the proxy's side in the real-time class and a load generator in the
     * same JVM where it would be in a process of its own. A load that is busy in the real-time class holds the CPU
     * against the kernel's softirq thread, which then delivers the proxy's datagrams late (measured: p99 7.6-82 ms
     * with the whole probe real-time). Problems go to {@code problems}.
     */
    static void realtimeExcept(String exceptPrefix, List<String> problems) {
        List<String> load = threadIds(exceptPrefix, problems);
        for (String tid : threadIds("", problems)) {
            List<String> failed = new ArrayList<>();
            if (load.contains(tid)) {
                run(failed, "chrt", "-o", "-p", "0", tid);
            } else {
                run(failed, "chrt", "-r", "-p", "1", tid);
            }
            if (Files.isDirectory(Path.of("/proc/self/task", tid))) { // else a short-lived thread ended meanwhile
                problems.addAll(failed);
            }
        }
    }

    /**
     * Every thread of this process now at nice {@code nice} ({@code renice}; below 0 needs root): the ordinary
     * scheduling class, but a larger share and earlier wake-ups against other work. Problems go to {@code problems}.
     */
    static void nice(int nice, List<String> problems) {
        for (String tid : threadIds("", problems)) {
            run(problems, "renice", "-n", Integer.toString(nice), "-p", tid);
        }
    }

    /**
     * Sets the calling thread's nice value and, where the kernel takes it, {@link #SLICE_NS} as its EEVDF slice
     * ({@link FairSlice}; else {@code renice -n nice -p TID} alone; below 0 needs root or CAP_SYS_NICE). A
     * proxy's event loop at nice -20 stays in the fair class, so it cannot starve the kernel's softirq threads or the
     * application as a real-time thread can, but the scheduler runs it first when its timer or socket wakes it.
     * Problems go to {@code problems}.
     */
    static void niceSelf(int nice, List<String> problems) {
        // sched_setattr sets both at once; where it is refused (an older kernel, another architecture), renice alone.
        if (SLICE_NS > 0 && FairSlice.applyToSelf(nice, SLICE_NS) == null) {
            return;
        }
        try {
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            run(problems, "renice", "-n", Integer.toString(nice), "-p", tid);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            problems.add("cannot find this thread's id: " + e.getMessage());
        }
    }

    /** Pins every thread whose name starts with {@code prefix} to {@code cpu}; problems go to {@code problems}. */
    static void pin(String prefix, int cpu, List<String> problems) {
        List<String> tids = threadIds(prefix, problems);
        for (String tid : tids) {
            run(problems, "taskset", "-p", "-c", Integer.toString(cpu), tid);
        }
        if (tids.isEmpty()) {
            problems.add("no thread named " + prefix + "*");
        }
    }

    /**
     * Sets the calling thread's timer slack ({@code /proc/TID/timerslack_ns}, Linux 4.6+): how much later than asked
     * the kernel may end its timed waits (50 us by default, to batch wake-ups). False, and nothing changed, where the
     * file is missing or not writable; a proxy then runs with the default.
     */
    static boolean setOwnTimerSlack(long slackNs) {
        try {
            // /proc/thread-self links to PID/task/TID; /proc/TID/timerslack_ns is the thread's own.
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            String tid = self.getFileName().toString();
            Files.writeString(Path.of("/proc", tid, "timerslack_ns"), Long.toString(slackNs));
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static List<String> threadIds(String prefix, List<String> problems) {
        List<String> tids = new ArrayList<>();
        // Linux keeps the first 15 characters of a thread's name.
        String shortPrefix = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm = Files.readString(task.resolve("comm")).trim();
                if (comm.startsWith(shortPrefix)) {
                    tids.add(task.getFileName().toString());
                }
            }
        } catch (IOException e) {
            problems.add("cannot list threads: " + e.getMessage());
        }
        return tids;
    }

    private static boolean run(List<String> problems, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problems.add(String.join(" ", command) + ": " + out);
                return false;
            }
            return true;
        } catch (IOException e) {
            problems.add(command[0] + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
