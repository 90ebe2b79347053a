package io.shoal.peer.cli;

import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.perf.PerfClient;
import io.shoal.rudp.perf.PerfException;
import io.shoal.rudp.perf.PerfParallelReport;
import io.shoal.rudp.perf.PerfProfile;
import io.shoal.rudp.perf.PerfReport;
import io.shoal.rudp.perf.PerfSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code shoal perf client HOST:PORT}: streams to a perf server for a while and prints what it measured. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Stream to a perf server (or a UDP relay in front of one) and report goodput, retransmissions, "
        + "RTT and CPU time.")
final class PerfClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", converter = CliConverters.HostPort.class,
        description = "The perf server, or a relay in front of it.")
    InetSocketAddress server;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
        description = "How long to send (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--omit", paramLabel = "S", defaultValue = "0",
        description = "Send for S seconds first without measuring them: JIT warm-up and ramp-up (default: "
            + "${DEFAULT-VALUE}).")
    double omit;

    @Mixin
    TransportOptions transport;

    @Mixin
    PerfTransportOption socket;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
        description = "Open N connections at once, each with its own socket; prints each and their sum "
            + "(default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "End with one JSON object on the last line.")
    boolean json;

    @Option(names = "--conv", paramLabel = "N", description = "Conversation id (default: random).")
    Long conv;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1400",
        description = "Datagram size limit (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--window", paramLabel = "SEGMENTS", defaultValue = "2048",
        description = "Send and receive window in segments (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--seconds must be between 0 and 86400: " + seconds);
        }
        if (!(omit >= 0) || omit > 3_600) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--omit must be between 0 and 3600: " + omit);
        }
        if (conv != null && (conv < 0 || conv > 0xFFFF_FFFFL)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--conv must be a 32-bit unsigned number: " + conv);
        }
        if (parallel < 1 || parallel > PerfClient.MAX_PARALLEL) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--parallel must be between 1 and " + PerfClient.MAX_PARALLEL + ": " + parallel);
        }
        RawKcpTransport io = socket.resolved();
        PerfSettings settings = socket.apply(CliSettings.perf(spec, transport.mode, transport.cc, mtu, window));
        int id = conv != null ? (int) (long) conv : ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        PrintWriter out = spec.commandLine().getOut();
        out.println("perf: " + server.getHostString() + ":" + server.getPort() + " for " + seconds + " s"
            + (omit > 0 ? " after " + omit + " s of warm-up" : "") + ", mode "
            + transport.mode + ", cc " + transport.cc.cliName() + ", mtu " + mtu + ", window " + window + ", conv "
            + Integer.toUnsignedString(id) + ", transport " + io.cliName() + ", profile "
            + settings.profile().cliName() + (settings.profile() == PerfProfile.SECURE
                ? ", cipher " + settings.cipher().resolve().packetCipherName() + " proposed" : "")
            + (parallel > 1 ? ", " + parallel + " connections" : ""));
        out.flush();
        PerfParallelReport run;
        try {
            run = new PerfClient(server, settings, seconds, omit, id, line -> {
                out.println(line);
                out.flush();
            }).runParallel(parallel);
        } catch (PerfException e) {
            throw new CliFailure(e.getMessage());
        }
        for (PerfReport report : run.connections()) {
            out.println("perf: " + (parallel > 1 ? "conv " + Integer.toUnsignedString(report.conv()) + ": " : "")
                + report.summaryLine());
        }
        if (parallel > 1) {
            out.println("perf: " + run.summaryLine());
        }
        if (json) {
            out.println(PerfJson.toJson(run));
        }
        out.flush();
        return 0;
    }
}
