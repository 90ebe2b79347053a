package io.shoal.bench.loopback;

import java.nio.file.Path;

/**
 * Command-line options of {@code bench/run loopback}.
 *
 * @param seconds how long each run is measured, in seconds
 * @param omit seconds of warm-up before the measurement, on both sides (JIT, ramp-up)
 * @param runs runs per side; the table reports medians
 * @param json print one JSON object as the last line
 * @param shoalMode shoal perf {@code --mode} (turbo, fast, normal)
 * @param shoalCc shoal perf {@code --cc} (bbr, cubic, kcp, none); kcp by default
 * @param shoalTransport shoal perf {@code --transport} (auto, epoll, nio) on both client and server
 * @param kcptunMode kcptun {@code --mode} (fast3, fast2, fast, normal)
 * @param kcptunWindow kcptun {@code --sndwnd} and {@code --rcvwnd}, in segments
 * @param shoalJvmOptions extra JVM options for the two shoal perf JVMs (split on spaces), or empty
 * @param launcher a {@code shoal} launcher script to run perf with, or null to run this jar's own CLI class
 * @param only "shoal" or "kcptun" to run one side, or null for both
 */
record LoopbackOptions(int seconds, int omit, int runs, boolean json, String shoalMode, String shoalCc,
                       String shoalTransport, java.util.List<String> shoalJvmOptions, String kcptunMode,
                       int kcptunWindow, Path launcher, String only) {
    /**
     * No extra JVM options: the JVM's default tiered compilation, as people run the library. C2 keeps compiling and
     * recompiling the send and receive paths for 10-15 s on a 2-core machine (both perf JVMs and their compiler
     * threads share the cores), which is why {@link #DEFAULT_OMIT_SECONDS} is long: measured in one session, C2 gave
     * a median of 430 Mbit/s after 3 s of warm-up and 2044 Mbit/s after 20 s. {@code --shoal-jvm
     * -XX:TieredStopAtLevel=1} (C1 only) warms up in about a second but peaks near 1.1 Gbit/s.
     */
    static final java.util.List<String> DEFAULT_SHOAL_JVM = java.util.List.of();

    /** Warm-up before measuring, on both sides: long enough for C2 to settle (see {@link #DEFAULT_SHOAL_JVM}). */
    static final int DEFAULT_OMIT_SECONDS = 20;

    /** shoal perf's default window, so that kcptun is not held back by its own 128/512 defaults. */
    static final int DEFAULT_KCPTUN_WINDOW = 2048;

    static final String USAGE = String.join("\n",
        "usage: bench/run loopback [--seconds S] [--omit S] [--runs N] [--json] [--mode turbo|fast|normal]",
        "                          [--cc bbr|cubic|kcp|none] [--transport auto|epoll|nio]",
        "                          [--kcptun-mode fast3|fast2|fast|normal]",
        "                          [--kcptun-window SEGMENTS]",
        "                          [--shoal PATH-TO-LAUNCHER] [--only shoal|kcptun]",
        "                          [--shoal-jvm 'JVM OPTIONS' (default none)]",
        "Pushes data over 127.0.0.1 for S seconds (default 5, after --omit seconds of warm-up, default "
            + DEFAULT_OMIT_SECONDS + ") with",
        "shoal perf (raw KCP profile) and with kcptun (crypt none, no compression, no FEC, MTU 1400,",
        "windows " + DEFAULT_KCPTUN_WINDOW + " unless --kcptun-window),",
        "N times each (default 3), interleaved, and prints the median goodput of each and their ratio.");

    boolean wantsShoal() {
        return only == null || "shoal".equals(only);
    }

    boolean wantsKcptun() {
        return only == null || "kcptun".equals(only);
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line reason on bad input. */
    static LoopbackOptions parse(String[] args) {
        int seconds = 5;
        int omit = DEFAULT_OMIT_SECONDS;
        int runs = 3;
        boolean json = false;
        String mode = "turbo";
        // KCP's own congestion control: the fastest on loopback in the same-run comparison (bench/README.md).
        String cc = "kcp";
        String transport = "auto";
        java.util.List<String> jvm = DEFAULT_SHOAL_JVM;
        String kcptunMode = "fast";
        int kcptunWindow = DEFAULT_KCPTUN_WINDOW;
        Path launcher = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--json":
                    json = true;
                    break;
                case "--seconds":
                    seconds = positiveInt(arg, value(args, ++i, arg), 600);
                    break;
                case "--omit":
                    omit = nonNegativeInt(arg, value(args, ++i, arg), 60);
                    break;
                case "--runs":
                    runs = positiveInt(arg, value(args, ++i, arg), 100);
                    break;
                case "--mode":
                    mode = oneOf(arg, value(args, ++i, arg), "turbo", "fast", "normal");
                    break;
                case "--cc":
                    cc = oneOf(arg, value(args, ++i, arg), "bbr", "cubic", "kcp", "none");
                    break;
                case "--transport":
                    transport = oneOf(arg, value(args, ++i, arg), "auto", "epoll", "nio");
                    break;
                case "--kcptun-mode":
                    kcptunMode = oneOf(arg, value(args, ++i, arg), "fast3", "fast2", "fast", "normal");
                    break;
                case "--kcptun-window":
                    kcptunWindow = positiveInt(arg, value(args, ++i, arg), 65_535);
                    break;
                case "--shoal-jvm":
                    String opts = value(args, ++i, arg).trim();
                    jvm = opts.isEmpty() ? java.util.List.of() : java.util.List.of(opts.split("\\s+"));
                    break;
                case "--shoal":
                    launcher = Path.of(value(args, ++i, arg));
                    break;
                case "--only":
                    only = oneOf(arg, value(args, ++i, arg), "shoal", "kcptun");
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new LoopbackOptions(seconds, omit, runs, json, mode, cc, transport, jvm, kcptunMode, kcptunWindow,
            launcher, only);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String option, String text, int max) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new IllegalArgumentException(option + " must be a whole number in [1, " + max + "]: '" + text + "'");
    }

    private static int nonNegativeInt(String option, String text, int max) {
        return "0".equals(text) ? 0 : positiveInt(option, text, max);
    }

    private static String oneOf(String option, String text, String... allowed) {
        for (String a : allowed) {
            if (a.equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ": '"
            + text + "'");
    }
}
