package io.shoal.bench.loopback;

import io.shoal.bench.DebianTool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of kcptun (the Debian {@code kcptun} package, 2021 build) on loopback, set up as close to shoal's raw
 * profile as kcptun allows: no encryption ({@code --crypt none}), no compression, no FEC. A Java TCP source pushes
 * data into {@code kcptun-client}; {@code kcptun-server} forwards it to a Java {@link TcpSink}, where goodput is
 * measured from the first to the last byte.
 */
final class KcptunRunner {
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long DRAIN_QUIET_MS = 2_000;
    private static final long DRAIN_TIMEOUT_MS = 15_000;

    private final LoopbackOptions options;

    KcptunRunner(LoopbackOptions options) {
        this.options = options;
    }

    String describe() {
        return "kcptun --mode " + options.kcptunMode() + " --crypt none --nocomp --ds 0 --ps 0 --mtu 1400 wnd "
            + options.kcptunWindow();
    }

    /** Makes sure kcptun is installed ({@link DebianTool#ensure}); returns null when ready, else why not. */
    static String ensureInstalled(Path logDir) {
        String why = DebianTool.ensure("kcptun-server", "kcptun", logDir);
        return why != null || DebianTool.onPath("kcptun-client") ? why : "kcptun-client not found";
    }

    /** Runs the tunnel once; returns goodput in Mbit/s at the sink. Every process is gone on return. */
    double runOnce(Path logDir, int run) throws IOException {
        int kcpPort = LocalPorts.freeUdpPort();
        int localPort = LocalPorts.freeTcpPort();
        try (TcpSink sink = new TcpSink(TimeUnit.SECONDS.toNanos(options.omit()));
             ChildProcesses children = new ChildProcesses(logDir)) {
            String window = Integer.toString(options.kcptunWindow());
            // Same MTU and windows as shoal perf's defaults; kcptun's own (1350, 128/512) would cap it far lower.
            List<String> common = List.of("--crypt", "none", "--nocomp", "--ds", "0", "--ps", "0",
                "--mode", options.kcptunMode(), "--mtu", "1400", "--sndwnd", window, "--rcvwnd", window, "--quiet");
            ChildProcesses.Child server = children.start("kcptun-server-" + run, command("kcptun-server",
                List.of("-t", "127.0.0.1:" + sink.port(), "-l", "127.0.0.1:" + kcpPort), common));
            LocalPorts.awaitBound(true, kcpPort, server, START_TIMEOUT_MS);
            ChildProcesses.Child client = children.start("kcptun-client-" + run, command("kcptun-client",
                List.of("-r", "127.0.0.1:" + kcpPort, "-l", "127.0.0.1:" + localPort), common));
            LocalPorts.awaitBound(false, localPort, client, START_TIMEOUT_MS);

            long written = TcpSource.push(localPort, options.omit() + options.seconds());
            sink.awaitDrained(DRAIN_QUIET_MS, DRAIN_TIMEOUT_MS);
            long spanNs = sink.spanNs();
            if (sink.bytes() == 0 || spanNs <= 0) {
                throw new IOException("no data reached the sink through kcptun (wrote " + written + " bytes):\n"
                    + client.logTail(10) + "\n" + server.logTail(10));
            }
            return sink.bytes() * 8.0 / (spanNs / 1e9) / 1e6;
        }
    }

    private static List<String> command(String program, List<String> addresses, List<String> common) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(addresses);
        command.addAll(common);
        return command;
    }
}
