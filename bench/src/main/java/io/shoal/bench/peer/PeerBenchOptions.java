package io.shoal.bench.peer;

import io.shoal.rudp.cc.CongestionControl;

import java.util.Locale;
import java.util.Set;

/**
 * Options of {@code bench/run peer}. Sizes are MiB (2^20 bytes).
 *
 * @param runs        timed runs per side (median reported)
 * @param sizeMib     the one-to-one file
 * @param warmupMib   an untimed shoal transfer (each transport) first, so the JIT has compiled the data path; 0: none
 * @param swarmMib    the one-seeder-eight-downloaders file
 * @param downloaders downloaders in the swarm
 * @param netemMib    the file sent through the 50 Mbit/s netem profile
 * @param sections    which parts run: {@code pair}, {@code swarm}, {@code netem}
 * @param sides       which one-to-one sides run: {@code rudp}, {@code tcp}, {@code aria2c}, {@code raw}
 * @param seed        the content's RNG seed
 * @param cc          rudp congestion control of the one-to-one and netem nodes; null: the node's default
 */
record PeerBenchOptions(int runs, int sizeMib, int warmupMib, int swarmMib, int downloaders, int netemMib,
                        Set<String> sections, Set<String> sides, long seed, CongestionControl cc) {
    static final String USAGE = String.join("\n",
        "usage: bench/run peer [options]",
        "  --runs N           timed runs per side, median reported (default 3)",
        "  --size MIB         one seeder to one downloader: file size (default 512)",
        "  --warmup MIB       untimed shoal transfer per transport before timing, 0 for none (default 64)",
        "  --swarm-size MIB   one seeder and N downloaders: file size (default 256)",
        "  --downloaders N    downloaders in the swarm (default 8)",
        "  --netem            also run the file transfer through the netem proxy at 50 Mbit/s, 40 ms RTT, 1% loss",
        "  --netem-size MIB   file size for --netem (default 64)",
        "  --only LIST        comma-separated parts: pair, swarm, netem (default pair,swarm; netem with --netem)",
        "  --sides LIST       one-to-one sides: rudp, tcp, aria2c, raw (default rudp,tcp,aria2c; raw is the peer",
        "                     over rudp without crypto, a benchmark-only profile)",
        "  --seed N           content seed (default 20261122)",
        "  --cc NAME          rudp congestion control for 1 -> 1 and --netem: kcp, none, cubic, bbr (default: the",
        "                     node's own setting)");

    private static final Set<String> ALL_SECTIONS = Set.of("pair", "swarm", "netem");
    private static final Set<String> ALL_SIDES = Set.of("rudp", "tcp", "aria2c", "raw");
    private static final Set<String> DEFAULT_SIDES = Set.of("rudp", "tcp", "aria2c");

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a one-line message on bad input. */
    static PeerBenchOptions parse(String[] args) {
        int runs = 3;
        int size = 512;
        int warmup = 64;
        int swarm = 256;
        int downloaders = 8;
        int netemSize = 64;
        boolean netem = false;
        Set<String> only = null;
        Set<String> sides = DEFAULT_SIDES;
        long seed = 20261122L;
        CongestionControl cc = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--runs" -> runs = positive(a, value(args, ++i, a));
                case "--size" -> size = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                case "--swarm-size" -> swarm = positive(a, value(args, ++i, a));
                case "--downloaders" -> downloaders = positive(a, value(args, ++i, a));
                case "--netem" -> netem = true;
                case "--netem-size" -> netemSize = positive(a, value(args, ++i, a));
                case "--only" -> only = list(a, value(args, ++i, a), ALL_SECTIONS);
                case "--sides" -> sides = list(a, value(args, ++i, a), ALL_SIDES);
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--cc" -> cc = CongestionControl.parse(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        Set<String> sections = only != null ? only : netem ? ALL_SECTIONS : Set.of("pair", "swarm");
        return new PeerBenchOptions(runs, size, warmup, swarm, downloaders, netemSize, sections, sides, seed, cc);
    }

    /** "bbr", or "node default" when not set. */
    String ccName() {
        return cc == null ? "node default" : cc.cliName();
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        int n = nonNegative(option, v);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > 1 << 20) {
                throw new IllegalArgumentException(option + " out of range: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
        }
    }

    private static Set<String> list(String option, String v, Set<String> allowed) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String s : v.toLowerCase(Locale.ROOT).split(",")) {
            if (!allowed.contains(s.trim())) {
                throw new IllegalArgumentException(option + ": unknown '" + s + "' (one of " + allowed + ")");
            }
            out.add(s.trim());
        }
        return Set.copyOf(out);
    }
}
