package io.shoal.bench.loopback;

import io.shoal.netem.suite.QuicBulkTransfer;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench/run quic [--mib N] [--runs N] [--warmup-mib N]}: QUIC bulk goodput on 127.0.0.1 with Netty's codec
 * (quiche, BBR, TLS 1.3; the same {@link QuicBulkTransfer} the netem report's {@code quic-bulk} rows use), to set
 * beside {@code bench/run loopback}'s shoal and kcptun figures. One JVM, one stream per run, SHA-256 checked; prints
 * each run and the median in Mbit/s of application goodput. Exit code 1 when a run failed or the payload arrived
 * damaged, 2 on bad options; QUIC not loading here is reported as skipped (exit 0).
 */
public final class QuicBenchMain {
    static final String USAGE = "usage: bench/run quic [--mib N (default 256)] [--runs N (default 3)] "
        + "[--warmup-mib N (default 128)]";

    private QuicBenchMain() {
    }

    /** Runs the benchmark; returns the process exit code. */
    public static int run(String[] args) throws Exception {
        int mib = 256;
        int runs = 3;
        int warmupMib = 128;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--mib" -> mib = positive(args, ++i);
                    case "--runs" -> runs = positive(args, ++i);
                    case "--warmup-mib" -> warmupMib = Integer.parseInt(value(args, ++i));
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("quic: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        String why = QuicBulkTransfer.unavailableReason();
        if (why != null) {
            System.out.println("quic: skipped: " + why);
            return 0;
        }
        if (warmupMib > 0) {
            once(warmupMib, 0);
        }
        double[] mbps = new double[runs];
        for (int r = 0; r < runs; r++) {
            mbps[r] = once(mib, r + 1);
            if (mbps[r] < 0) {
                return 1;
            }
            System.err.printf(Locale.ROOT, "quic: run %d/%d: %.1f Mbit/s%n", r + 1, runs, mbps[r]);
        }
        double[] sorted = mbps.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "quic loopback goodput (Netty QUIC, quiche BBR, TLS 1.3, one stream, %d MiB "
            + "per run): median %.1f Mbit/s, min %.1f, max %.1f over %d run(s)%n", mib, median, sorted[0],
            sorted[runs - 1], runs);
        return 0;
    }

    /** One transfer of {@code mib} MiB; its goodput in Mbit/s, or -1 (reported) when the payload arrived damaged. */
    private static double once(int mib, int run) throws Exception {
        byte[] data = new byte[mib << 20];
        new SplittableRandom(run).nextBytes(data);
        try (QuicBulkTransfer transfer = new QuicBulkTransfer(data.length, () -> { })) {
            QuicBulkTransfer.Result r = transfer.run(transfer.serverAddress(), data, 300_000);
            if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(data), r.sha256())) {
                System.err.println("quic: run " + run + ": SHA-256 at the server differs from the payload's");
                return -1;
            }
            return data.length * 8e3 / r.elapsedNs();
        }
    }

    private static int positive(String[] args, int i) {
        int v = Integer.parseInt(value(args, i));
        if (v <= 0) {
            throw new IllegalArgumentException(args[i - 1] + " must be positive");
        }
        return v;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
