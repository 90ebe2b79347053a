package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code shoal tracker}: an HTTP + UDP BitTorrent tracker with rendezvous, until Ctrl-C. */
@Command(name = "tracker", mixinStandardHelpOptions = true,
    description = "Run a BitTorrent tracker (HTTP and UDP on one port, BEP 3/7/15/23/24/48) with shoal rendezvous. "
        + "Runs until Ctrl-C.")
final class TrackerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6969", converter = CliConverters.Port.class,
        description = "TCP and UDP port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "0.0.0.0",
        description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1800",
        description = "Announce interval sent to clients; peers expire after two (default: ${DEFAULT-VALUE}).")
    int intervalSec;

    @Option(names = "--allow", paramLabel = "FILE",
        description = "Track only the info hashes in FILE (40 hex digits a line; '#' starts a comment).")
    Path allowFile;

    @Option(names = "--per-ip-rate", paramLabel = "N", defaultValue = "20000",
        description = "UDP datagrams per second accepted from one address, 0 for no limit (default: "
            + "${DEFAULT-VALUE}).")
    int perIpRate;

    @Option(names = "--json", description = "Print JSON lines: where it listens, then counters every 10 s and at exit.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (intervalSec < 1 || perIpRate < 0) {
            throw new CliFailure("--interval must be at least 1 and --per-ip-rate at least 0");
        }
        TrackerConfig config = TrackerConfig.defaults(CliSettings.bindAddress(spec, host), port)
            .withInterval(intervalSec).withPerIpRate(perIpRate);
        if (allowFile != null) {
            config = config.withAllowList(readAllowList(allowFile));
        }
        TrackerServer server;
        try {
            server = TrackerServer.start(config);
        } catch (Exception e) {
            if (e instanceof SocketException) {
                throw new CliFailure("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (json) {
                line(out, mapper, "stats", server.stats());
            }
            server.close();
            stopped.countDown();
        }, "shoal-tracker-stop"));
        InetSocketAddress at = server.udpAddress();
        if (json) {
            Map<String, Object> listening = new LinkedHashMap<>();
            listening.put("host", at.getAddress().getHostAddress());
            listening.put("port", at.getPort());
            listening.put("transport", server.transport());
            line(out, mapper, "listening", listening);
        } else {
            String ip = at.getAddress().getHostAddress();
            out.println("tracker: listening on " + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + at.getPort()
                + " (HTTP /announce /scrape and UDP, " + server.transport() + "); Ctrl-C to stop");
            out.flush();
        }
        while (!stopped.await(10, TimeUnit.SECONDS)) {
            if (json) {
                line(out, mapper, "stats", server.stats());
            }
        }
        return 0;
    }

    private static void line(PrintWriter out, ObjectMapper mapper, String event, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.putAll(fields);
        try {
            out.println(mapper.writeValueAsString(m));
        } catch (IOException e) {
            out.println("{\"event\":\"error\"}");
        }
        out.flush();
    }

    static List<byte[]> readAllowList(Path file) throws CliFailure {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read allow-list " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).replaceFirst("#.*", "").trim();
            if (l.isEmpty()) {
                continue;
            }
            if (!l.matches("[0-9a-fA-F]{40}")) {
                throw new CliFailure(file + " line " + (i + 1) + ": expected 40 hex digits, got '" + l + "'");
            }
            hashes.add(HexFormat.of().parseHex(l));
        }
        return hashes;
    }
}
