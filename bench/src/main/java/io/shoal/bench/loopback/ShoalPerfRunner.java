package io.shoal.bench.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of shoal on loopback over one profile ({@code raw} KCP or {@code secure}): {@code shoal perf server} and
 * {@code shoal perf client ... --json} in two JVMs of their own, both with {@code --profile}, the client's last output
 * line parsed as its JSON summary ({@code goodput_mbps}, {@code bytes}, the client's {@code cpu_ms}), to which are
 * added, over the client's last {@code --seconds} before it exited (the measured window, give or take the summary
 * exchange; {@link ProcessCpuSampler}): {@code server_cpu_ms} (the server process) and
 * {@code server_cpu_ms_without_jit} / {@code client_cpu_ms_without_jit} (each JVM without its JIT compiler threads).
 */
final class ShoalPerfRunner {
    static final String CLI_CLASS = "io.shoal.peer.cli.ShoalCli";
    /** JVM start, connection set-up and the final summary exchange on top of the measured seconds. */
    private static final long SLACK_MS = 60_000;

    private final LoopbackOptions options;
    private final List<String> baseCommand;
    private final String profile;
    private final ObjectMapper json = new ObjectMapper();

    private ShoalPerfRunner(LoopbackOptions options, List<String> baseCommand, String profile) {
        this.options = options;
        this.baseCommand = baseCommand;
        this.profile = profile;
    }

    /** Why perf cannot run here ({@code --shoal PATH} unusable, or the CLI class missing), or null when it can. */
    static String unavailableReason(LoopbackOptions options) {
        if (options.launcher() != null) {
            return Files.isExecutable(options.launcher()) ? null
                : "launcher " + options.launcher() + " is not an executable file";
        }
        try {
            Class.forName(CLI_CLASS, false, ShoalPerfRunner.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException e) {
            return CLI_CLASS + " is not in this build (pass --shoal ./shoal to use the launcher)";
        }
    }

    /**
     * Runs perf through {@code --shoal PATH} if given (JVM options then go through its {@code SHOAL_JAVA_OPTS}),
     * else this JVM's class path and the CLI's main class with {@code --shoal-jvm} options.
     */
    static ShoalPerfRunner create(LoopbackOptions options, String profile) {
        List<String> command = new ArrayList<>();
        if (options.launcher() != null) {
            command.add(options.launcher().toAbsolutePath().toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options.shoalJvmOptions());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CLI_CLASS);
        }
        return new ShoalPerfRunner(options, command, profile);
    }

    String describe() {
        String jvm = options.shoalJvmOptions().isEmpty() ? "" : " (jvm " + String.join(" ", options.shoalJvmOptions())
            + ")";
        return profile + " profile, --mode " + options.shoalMode() + " --cc " + options.shoalCc() + " --transport "
            + options.shoalTransport() + jvm;
    }

    /** Runs server and client once; returns the client's JSON summary. Every process is gone on return. */
    JsonNode runOnce(Path logDir, int run) throws IOException, InterruptedException {
        int port = LocalPorts.freeUdpPort();
        try (ChildProcesses children = new ChildProcesses(logDir)) {
            ChildProcesses.Child server = children.start("shoal-" + profile + "-server-" + run,
                command("perf", "server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--transport", options.shoalTransport(), "--profile", profile));
            LocalPorts.awaitBound(true, port, server, SLACK_MS);
            ProcessCpuSampler serverCpu = ProcessCpuSampler.start(server.process());
            ChildProcesses.Child client = children.start("shoal-" + profile + "-client-" + run,
                command("perf", "client", "127.0.0.1:" + port, "--seconds", Integer.toString(options.seconds()),
                    "--omit", Integer.toString(options.omit()), "--mode", options.shoalMode(), "--cc",
                    options.shoalCc(), "--transport", options.shoalTransport(), "--profile", profile, "--json"));
            ProcessCpuSampler clientCpu = ProcessCpuSampler.start(client.process());
            long timeoutMs = TimeUnit.SECONDS.toMillis(options.omit() + options.seconds()) + SLACK_MS;
            if (!client.process().waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IOException("shoal perf client still running after " + timeoutMs + " ms:\n"
                    + client.logTail(10));
            }
            if (client.process().exitValue() != 0) {
                throw new IOException("shoal perf client exited with " + client.process().exitValue() + ":\n"
                    + client.logTail(10));
            }
            long endNs = System.nanoTime();
            long fromNs = endNs - TimeUnit.SECONDS.toNanos(options.seconds());
            ObjectNode summary = (ObjectNode) lastJsonLine(client);
            ProcessCpuSampler.CpuMs s = serverCpu.between(fromNs, endNs);
            ProcessCpuSampler.CpuMs c = clientCpu.between(fromNs, endNs);
            serverCpu.close();
            clientCpu.close();
            summary.put("server_cpu_ms", s.process());
            summary.put("server_cpu_ms_without_jit", s.withoutJit());
            summary.put("client_cpu_ms_without_jit", c.withoutJit());
            return summary;
        }
    }

    private JsonNode lastJsonLine(ChildProcesses.Child client) throws IOException {
        List<String> lines = Files.readAllLines(client.log());
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (line.startsWith("{")) {
                JsonNode node = json.readTree(line);
                if (node.hasNonNull("goodput_mbps")) {
                    return node;
                }
                break;
            }
        }
        throw new IOException("no JSON summary with goodput_mbps in shoal perf client output:\n"
            + client.logTail(10));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(baseCommand);
        command.addAll(List.of(args));
        return command;
    }
}
