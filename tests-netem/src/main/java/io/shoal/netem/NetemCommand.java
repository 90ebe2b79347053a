package io.shoal.netem;

import io.shoal.rudp.netty.LeakDetectionDefault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shoal netem}: runs the impairment proxy server standalone until Ctrl-C, so any Toxiproxy client, in any
 * language, can drive it. Prints the API address it bound. Exit codes: 1 when the API address cannot be bound, 2 for
 * a bad command line. {@code shoal netem report} runs the lossy-network suite and writes its report.
 */
@Command(name = "netem", mixinStandardHelpOptions = true, subcommands = NetemReportCommand.class,
    description = {"Run the impairment proxy (Toxiproxy-compatible HTTP API; TCP proxies, and UDP proxies with "
        + "udp:// addresses) until Ctrl-C."})
public final class NetemCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8474",
        description = "Address of the HTTP API (default: ${DEFAULT-VALUE}, Toxiproxy's).")
    String api;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "Seed of every random choice the proxies make (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--nice", paramLabel = "N", defaultValue = "-20",
        description = {"Nice value of the proxy's event-loop threads (default: ${DEFAULT-VALUE}; below 0 needs root "
            + "or CAP_SYS_NICE, and without it the proxy says so and runs at 0). They stay in the normal, fair "
            + "class but run first when a timer or datagram wakes them: on a quiet 2-core VM at 100k datagrams/s "
            + "the p99 release lateness was 0.32-0.46 ms at -20 against 2.2-3.4 ms at 0. 0 leaves them alone. On "
            + "Linux 6.12+ they also get a 100 us EEVDF slice (-Dshoal.netem.sliceUs=N, 0 for the kernel's)."})
    int nice;

    /** How long {@code --warm-up-ms} lets the start-up warm-up run at most, by default. */
    static final long DEFAULT_WARM_UP_MS = 20_000;

    @Option(names = "--warm-up-ms", paramLabel = "MS", defaultValue = "" + DEFAULT_WARM_UP_MS,
        description = {"Before serving, run datagrams through the proxy's own path at 100k/s until the JIT has "
            + "compiled it, for at most MS (default: ${DEFAULT-VALUE}; 0 skips it). On 2 cores the compiler otherwise "
            + "keeps a core busy for seconds once traffic starts, and the proxy's timers wake late meanwhile."})
    long warmUpMs;

    @Option(names = "--realtime",
        description = {"Run the whole proxy in the real-time round-robin class instead (chrt; needs root or "
            + "CAP_SYS_NICE). Not recommended: on a 2-core VM with Linux 6.18 the proxy's own p99 lateness was "
            + "0.2-0.8 ms at 100k datagrams/s, but the application beside it, in the normal class, then received "
            + "late (p99 9-98 ms end to end), and a busy real-time process starves the kernel's softirq threads."})
    boolean realtime;

    @Override
    public Integer call() throws InterruptedException {
        InetSocketAddress address = parseApi();
        PrintWriter out = spec.commandLine().getOut();
        LeakDetectionDefault.offUnlessConfigured();
        NetemServer server;
        try {
            server = NetemServer.start(address, seed);
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("shoal: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "netem-shutdown"));
        if (realtime) {
            List<String> problems = new ArrayList<>();
            ThreadPlacement.realtime(problems);
            warnIfIncomplete("--realtime not applied, running in the normal class", problems);
        }
        boolean niced = false;
        if (!realtime && nice != 0) {
            List<String> problems = server.niceProxyLoops(nice);
            niced = problems.isEmpty();
            warnIfIncomplete("--nice " + nice + " not applied, the proxy runs at nice 0", problems);
        }
        if (warmUpMs > 0) {
            out.println("netem: warming the proxy's path up before serving (at most " + warmUpMs
                + " ms; --warm-up-ms 0 skips it)");
            out.flush();
            out.println("netem: " + server.warmUp(warmUpMs));
            out.flush();
        }
        InetSocketAddress bound = server.apiAddress();
        out.println("netem: Toxiproxy API on http://" + ProxyAddress.format(false, bound) + " (seed " + seed
            + (realtime ? ", real-time" : niced ? ", proxy threads at nice " + nice : "") + "); Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }

    private void warnIfIncomplete(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("netem: " + what + ": " + String.join("; ", problems));
            err.flush();
        }
    }

    private InetSocketAddress parseApi() {
        try {
            ProxyAddress a = ProxyAddress.parse(api, false);
            if (a.udp()) {
                throw ApiException.badRequest("the API is HTTP over TCP");
            }
            InetSocketAddress resolved = a.resolve();
            if (resolved.isUnresolved()) {
                throw ApiException.badRequest("unknown host " + a.host());
            }
            return resolved;
        } catch (ApiException e) {
            throw new ParameterException(spec.commandLine(), "invalid --api '" + api + "': "
                + e.getMessage().replace("bad request body: ", ""));
        }
    }
}
