package io.shoal.bench;

import io.shoal.bench.loopback.LoopbackMain;
import io.shoal.bench.loopback.QuicBenchMain;
import io.shoal.bench.peer.PeerBenchMain;
import io.shoal.bench.secure.SecureBenchMain;
import io.shoal.bench.tracker.TrackerBenchMain;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of {@code bench/target/shoal-bench.jar}: {@code jmh [JMH options]}, {@code sim [options]},
 * {@code loopback [options]}, {@code quic [options]}, {@code tracker [options]}, {@code peer [options]} or
 * {@code secure handshakes|idle} (see {@code bench/README.md}). Exit code 2 for an unknown
 * command.
 */
public final class BenchMain {
    private static final String SIM_CLASS = "io.shoal.bench.sim.SimBench";
    private static final String USAGE = String.join("\n",
        "usage: bench/run <command> [options]",
        "  jmh [JMH options]    micro-benchmarks (e.g. 'jmh EnginePair', 'jmh -h')",
        "  sim [options]        simulated-link benchmarks on a virtual clock",
        "  loopback [options]   shoal perf vs kcptun on 127.0.0.1 ('loopback --help')",
        "  quic [options]       QUIC (Netty codec) bulk goodput on 127.0.0.1 ('quic --help')",
        "  tracker [options]    shoal tracker vs opentracker on 127.0.0.1, or --memory ('tracker --help')",
        "  secure handshakes|idle   secure-profile handshake rate, or many idle connections on one socket",
        "  peer [options]       file transfer: shoal vs aria2c 1 -> 1, a swarm of 8, --netem ('peer --help')");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || "-h".equals(args[0]) || "--help".equals(args[0])) {
            System.out.println(USAGE);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh":
                org.openjdk.jmh.Main.main(rest);
                return;
            case "sim":
                runSim(rest);
                return;
            case "loopback":
                System.exit(LoopbackMain.run(rest));
                return;
            case "quic":
                System.exit(QuicBenchMain.run(rest));
                return;
            case "tracker":
                System.exit(TrackerBenchMain.run(rest));
                return;
            case "peer":
                System.exit(PeerBenchMain.run(rest));
                return;
            case "secure":
                System.exit(SecureBenchMain.run(rest));
                return;
            default:
                System.err.println("bench: unknown command '" + args[0] + "'\n" + USAGE);
                System.exit(2);
        }
    }

    /**
     * The simulator benchmark is written on another branch; looking it up by name lets this module build before it
     * lands, and fail with one clear line instead of a missing-class error until then.
     */
    private static void runSim(String[] args) throws Exception {
        Method main;
        try {
            main = Class.forName(SIM_CLASS).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("bench: the sim benchmark (" + SIM_CLASS + ") is not part of this build yet");
            System.exit(2);
            return;
        }
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }
}
