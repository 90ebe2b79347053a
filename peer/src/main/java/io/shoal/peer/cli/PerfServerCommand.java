package io.shoal.peer.cli;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.perf.PerfServer;
import io.shoal.rudp.perf.PerfSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code shoal perf server}: serves perf clients until interrupted (Ctrl-C). */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Receive perf tests and report what arrived. Runs until Ctrl-C.")
final class PerfServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", converter = CliConverters.Port.class,
        description = "UDP port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
        description = "Local address to bind (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1400",
        description = "Largest datagram accepted and sent; clients must not use a larger one (default: "
            + "${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--window", paramLabel = "SEGMENTS", defaultValue = "4096",
        description = "Receive window in segments; caps what a client's --window can use (default: "
            + "${DEFAULT-VALUE}).")
    int window;

    @Mixin
    PerfTransportOption socket;

    @Override
    public Integer call() throws Exception {
        PerfSettings settings = CliSettings.perf(spec, PerfSettings.DEFAULT_MODE, CongestionControl.BBR, mtu,
            window);
        settings = socket.apply(settings);
        InetSocketAddress local = new InetSocketAddress(CliSettings.bindAddress(spec, bind), port);
        PrintWriter out = spec.commandLine().getOut();
        PerfServer server;
        try {
            server = PerfServer.start(local, settings, line -> {
                out.println(line);
                out.flush();
            });
        } catch (Exception e) {
            // Netty rethrows the socket's own exception (e.g. BindException) unchecked from sync().
            if (e instanceof SocketException) {
                throw new CliFailure("cannot listen on " + describe(local) + ": " + e.getMessage());
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shoal-perf-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("perf: listening on " + describe(server.localAddress()) + " (" + settings.profile().cliName()
            + " profile, mtu " + mtu
            + ", window " + window + ", transport " + server.transport().cliName() + "); Ctrl-C to stop");
        out.flush();
        stopped.await();
        return 0;
    }

    private static String describe(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return (ip.getHostAddress().indexOf(':') >= 0 ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress())
            + ":" + a.getPort();
    }
}
