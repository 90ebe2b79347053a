package io.shoal.bench.tracker;

import io.shoal.bench.loopback.ChildProcesses;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench/run tracker}: shoal's tracker and opentracker side by side on 127.0.0.1, same load generators, runs
 * interleaved (shoal, opentracker, shoal, ...). Each run starts the tracker fresh, warms it with 5 s of each load
 * (the JVM's JIT needs it; opentracker gets the same), then measures UDP announces/s ({@link UdpAnnounceLoad}: one
 * socket, 64 in flight, 1000 torrents) and HTTP keep-alive announces/s ({@link HttpAnnounceLoad}). Prints medians,
 * min and max, and the ratios shoal/opentracker. {@code bench/run tracker --memory} instead measures heap bytes per
 * tracked peer ({@link RegistryMemoryBench}). Exit code 1 if a run failed, 2 on bad options.
 */
public final class TrackerBenchMain {
    static final String USAGE = String.join("\n",
        "usage: bench/run tracker [--runs N] [--seconds S] [--torrents T] [--depth D] [--connections C]",
        "                         [--only shoal|opentracker]",
        "       bench/run tracker --memory [--peers N]");

    /** Warm-up before each measurement: C2 compilation of the tracker's JVM takes seconds on a busy machine. */
    private static final long WARM_UP_MS = 5_000;

    private TrackerBenchMain() {
    }

    private static final class Side {
        final TrackerSide tracker;
        final List<Double> udp = new ArrayList<>();
        final List<Double> http = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        Side(TrackerSide tracker) {
            this.tracker = tracker;
        }
    }

    public static int run(String[] args) throws IOException, InterruptedException {
        int runs = 3;
        int seconds = 5;
        int torrents = 1000;
        int depth = 64;
        int connections = 4;
        long peers = 2_000_000;
        boolean memory = false;
        String only = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--torrents" -> torrents = Integer.parseInt(args[++i]);
                    case "--depth" -> depth = Integer.parseInt(args[++i]);
                    case "--connections" -> connections = Integer.parseInt(args[++i]);
                    case "--peers" -> peers = Long.parseLong(args[++i]);
                    case "--memory" -> memory = true;
                    case "--only" -> only = args[++i];
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("tracker: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (memory) {
            RegistryMemoryBench.run(peers, 250_000, torrents);
            return 0;
        }
        Path logDir = Files.createTempDirectory("shoal-tracker-bench-");
        Files.setPosixFilePermissions(logDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.err.println("tracker: logs in " + logDir);
        byte[][] hashes = hashes(torrents);
        Path allow = logDir.resolve("allow.txt");
        StringBuilder list = new StringBuilder();
        for (byte[] h : hashes) {
            list.append(HexFormat.of().formatHex(h)).append('\n');
        }
        Files.writeString(allow, list);
        Files.setPosixFilePermissions(allow, PosixFilePermissions.fromString("rw-r--r--"));
        List<Side> sides = new ArrayList<>();
        if (!"opentracker".equals(only)) {
            sides.add(new Side(TrackerSide.shoal(allow)));
        }
        if (!"shoal".equals(only)) {
            sides.add(new Side(TrackerSide.opentracker(allow, logDir)));
        }
        for (int run = 1; run <= runs; run++) {
            for (Side side : sides) {
                if (side.tracker.skipped == null) {
                    runOnce(side, run, runs, logDir, hashes, depth, connections, seconds);
                }
            }
        }
        print(sides, torrents, depth, connections, seconds);
        return sides.stream().allMatch(s -> s.failures.isEmpty()) ? 0 : 1;
    }

    private static void runOnce(Side side, int run, int runs, Path logDir, byte[][] hashes, int depth,
                                int connections, int seconds) throws InterruptedException {
        try (ChildProcesses children = new ChildProcesses(logDir)) {
            InetSocketAddress at = side.tracker.start(children, run);
            UdpAnnounceLoad.run(at, hashes, depth, WARM_UP_MS, run);
            UdpAnnounceLoad.Result udp = UdpAnnounceLoad.run(at, hashes, depth, seconds * 1000L, run * 31L);
            HttpAnnounceLoad.run(at, hashes, connections, WARM_UP_MS, run);
            HttpAnnounceLoad.Result http = HttpAnnounceLoad.run(at, hashes, connections, seconds * 1000L, run * 17L);
            side.udp.add(udp.announcesPerSec());
            side.http.add(http.announcesPerSec());
            System.err.printf(Locale.ROOT, "tracker: %-11s run %d/%d: UDP %,.0f/s (%d lost), HTTP %,.0f/s "
                + "(%d reconnects)%n", side.tracker.name, run, runs, udp.announcesPerSec(), udp.lost(),
                http.announcesPerSec(), http.reconnects());
        } catch (IOException e) {
            side.failures.add("run " + run + ": " + e.getMessage());
            System.err.println("tracker: " + side.tracker.name + " run " + run + " failed: " + e.getMessage());
        }
    }

    private static byte[][] hashes(int n) {
        SplittableRandom random = new SplittableRandom(2024);
        byte[][] hashes = new byte[n][20];
        for (byte[] h : hashes) {
            for (int i = 0; i < 20; i++) {
                h[i] = (byte) random.nextInt(256);
            }
        }
        return hashes;
    }

    private static void print(List<Side> sides, int torrents, int depth, int connections, int seconds) {
        System.out.printf(Locale.ROOT, "%nUDP: one socket, %d in flight, %d torrents, numwant 50; HTTP: %d keep-alive "
            + "connections; %d s per measurement%n", depth, torrents, connections, seconds);
        System.out.printf(Locale.ROOT, "%-12s %12s %10s %10s   %12s %10s %10s%n", "tracker", "UDP median/s", "min",
            "max", "HTTP median/s", "min", "max");
        for (Side s : sides) {
            if (s.tracker.skipped != null) {
                System.out.printf(Locale.ROOT, "%-12s skipped: %s%n", s.tracker.name, s.tracker.skipped);
            } else if (!s.udp.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-12s %,12.0f %,10.0f %,10.0f   %,12.0f %,10.0f %,10.0f%n",
                    s.tracker.name, median(s.udp), min(s.udp), max(s.udp), median(s.http), min(s.http),
                    max(s.http));
            }
            for (String f : s.failures) {
                System.out.println("  " + s.tracker.name + " failed " + f);
            }
        }
        if (sides.size() == 2 && !sides.get(0).udp.isEmpty() && !sides.get(1).udp.isEmpty()) {
            System.out.printf(Locale.ROOT, "ratio shoal/opentracker: UDP %.2f, HTTP %.2f%n",
                median(sides.get(0).udp) / median(sides.get(1).udp),
                median(sides.get(0).http) / median(sides.get(1).http));
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
