package io.shoal.peer.cli;

import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpEndpoint;
import io.shoal.rudp.perf.PerfSettings;
import io.shoal.rudp.perf.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code shoal demo}: by default the swarm demo ({@link SwarmDemo}: tracker, seeder and two downloaders on loopback,
 * the downloaders reaching the seeder through impaired relays). With {@code --stream}, the single-stream demo: a
 * generated file between two raw-KCP endpoints through one impaired relay. Both check SHA-256; exit 0 on a match.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a tracker, a seeder and two downloaders on loopback, the downloaders reaching the seeder "
        + "through a lossy, delayed UDP relay, and verify both copies.",
        "With --stream: send one file over raw KCP through the relay instead."})
final class DemoCommand implements Callable<Integer> {
    private static final long TICK_MS = 50;
    private static final long STALL_MS = 30_000;
    private static final int CONV = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "8M", converter = CliConverters.Size.class,
        description = "File size, e.g. 512k, 8M, 1G (default: ${DEFAULT-VALUE}).")
    long sizeBytes;

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "2",
        description = "Datagrams the relay drops, each way, in percent (default: ${DEFAULT-VALUE}).")
    double lossPercent;

    @Option(names = "--delay-ms", paramLabel = "MS", defaultValue = "20",
        description = "One-way delay the relay adds (default: ${DEFAULT-VALUE}).")
    long delayMs;

    @Option(names = "--jitter-ms", paramLabel = "MS", defaultValue = "5",
        description = "Uniform jitter around the delay; it can reorder (default: ${DEFAULT-VALUE}).")
    long jitterMs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "Seed of the file contents and the relay's loss and jitter (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TransportOptions transport;

    @Option(names = "--keep", description = "Keep the temporary folder with the files.")
    boolean keep;

    @Option(names = "--stream", description = "The single-stream raw-KCP demo instead of the swarm.")
    boolean stream;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
        description = "Swarm demo: fail when not done after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSec;

    @Override
    public Integer call() throws Exception {
        if (lossPercent < 0 || lossPercent >= 100 || delayMs < 0 || jitterMs < 0 || jitterMs > delayMs) {
            throw new ParameterException(spec.commandLine(),
                "need 0 <= --loss < 100 and 0 <= --jitter-ms <= --delay-ms");
        }
        if (sizeBytes <= 0 || timeoutSec <= 0) {
            throw new ParameterException(spec.commandLine(), "--size and --timeout must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("shoal-demo-");
        if (!stream) {
            return swarm(dir, out);
        }
        PerfSettings settings = CliSettings.perf(spec, transport.mode, transport.cc, PerfSettings.DEFAULT_MTU,
            PerfSettings.DEFAULT_WINDOW);
        Path source = dir.resolve("source.bin");
        Path received = dir.resolve("received.bin");
        out.printf(Locale.ROOT, "demo: %s through a relay dropping %.1f%% and delaying %d ms +/- %d ms each way "
            + "(seed %d), mode %s, cc %s%n", Units.bytes(sizeBytes), lossPercent, delayMs, jitterMs, seed,
            transport.mode, transport.cc.cliName());
        out.flush();
        String sourceSha = DemoFiles.generate(source, sizeBytes, seed);
        boolean match = false;
        try {
            long elapsedNs = transfer(settings, source, received, out);
            String receivedSha = DemoFiles.sha256Hex(received);
            match = receivedSha.equals(sourceSha) && Files.size(received) == sizeBytes;
            out.printf(Locale.ROOT, "demo: received %s in %.2f s = %.2f Mbit/s%n", Units.bytes(sizeBytes),
                elapsedNs / 1e9, Units.mbps(sizeBytes, elapsedNs));
            out.println("demo: sha-256 sent     " + sourceSha);
            out.println("demo: sha-256 received " + receivedSha + (match ? "  MATCH" : "  MISMATCH"));
        } finally {
            if (keep || !match) {
                out.println("demo: files kept in " + dir);
            } else {
                DemoFiles.deleteQuietly(dir);
            }
            out.flush();
        }
        return match ? 0 : 1;
    }

    private int swarm(Path dir, PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "demo: tracker, 1 seeder and %d downloaders on loopback sharing %s; each downloader "
                + "reaches the seeder through a relay dropping %.1f%% and delaying %d ms +/- %d ms each way (seed %d)%n",
            SwarmDemo.DOWNLOADERS, Units.bytes(sizeBytes), lossPercent, delayMs, jitterMs, seed);
        out.flush();
        boolean ok = false;
        try {
            ok = new SwarmDemo(sizeBytes, lossPercent / 100, delayMs, jitterMs, seed, timeoutSec, out).run(dir);
        } finally {
            if (keep || !ok) {
                out.println("demo: files kept in " + dir);
            } else {
                DemoFiles.deleteQuietly(dir);
            }
            out.flush();
        }
        return ok ? 0 : 1;
    }

    /** Runs the transfer and returns its duration; prints progress on a terminal and a summary of the link. */
    private long transfer(PerfSettings settings, Path source, Path received, PrintWriter out) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel sink = FileChannel.open(received, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DemoReceiver receiver = new DemoReceiver(sink, sizeBytes);
            RawKcpConfig serverConfig = RawKcpConfig.builder().kcp(settings.kcpConfig()).maxConversations(1)
                .acceptor(connection -> receiver).build();
            RawKcpConfig clientConfig = RawKcpConfig.builder().kcp(settings.kcpConfig()).build();
            try (RawKcpEndpoint server = RawKcpEndpoint.bind(new InetSocketAddress(loopback, 0), serverConfig);
                 LossyUdpRelay relay = LossyUdpRelay.start(new InetSocketAddress(loopback, 0),
                     server.localAddress(), lossPercent / 100, delayMs, jitterMs, seed);
                 RawKcpEndpoint client = RawKcpEndpoint.bind(new InetSocketAddress(loopback, 0), clientConfig)) {
                DemoSender sender = new DemoSender(in, sizeBytes);
                RawKcpConnection connection = client.open(relay.address(), CONV, sender);
                long startNs = System.nanoTime();
                sender.start(connection);
                int[] rttSamples = watch(connection, receiver, sender, out);
                long elapsedNs = System.nanoTime() - startNs;
                KcpStats s = connection.stats();
                out.printf(Locale.ROOT, "demo: retransmissions %d (timeout %d, fast %d) of %d segments sent; "
                        + "relay forwarded %d datagrams, dropped %d%n", s.retransmits() + s.fastRetransmits(),
                    s.retransmits(), s.fastRetransmits(), s.segmentsSent(), relay.forwarded(), relay.dropped());
                out.printf(Locale.ROOT, "demo: rtt p50 %d ms, p99 %d ms (smoothed, sampled every %d ms)%n",
                    percentile(rttSamples, 50), percentile(rttSamples, 99), TICK_MS);
                return elapsedNs;
            }
        }
    }

    /** Waits for the receiver, printing progress on a terminal; fails on a dead link or a long stall. */
    private int[] watch(RawKcpConnection connection, DemoReceiver receiver, DemoSender sender, PrintWriter out)
        throws Exception {
        boolean terminal = System.console() != null;
        CompletableFuture<Object> finished = CompletableFuture.anyOf(receiver.done(), sender.failed());
        int[] rtt = new int[1024];
        int samples = 0;
        long lastBytes = -1;
        long lastChangeNs = System.nanoTime();
        long tick = 0;
        while (true) {
            try {
                finished.get(TICK_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                // a tick: sample and maybe print
            } catch (ExecutionException e) {
                if (terminal) {
                    out.println();
                }
                throw new CliFailure("demo failed: " + e.getCause().getMessage());
            }
            KcpStats s = connection.stats();
            if (samples == rtt.length) {
                rtt = Arrays.copyOf(rtt, samples * 2);
            }
            rtt[samples++] = s.srttMs();
            long bytes = receiver.receivedBytes();
            if (bytes != lastBytes) {
                lastBytes = bytes;
                lastChangeNs = System.nanoTime();
            } else if (System.nanoTime() - lastChangeNs > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
                throw new CliFailure("demo failed: no progress for " + STALL_MS / 1000 + " s at "
                    + Units.bytes(bytes));
            }
            if (terminal && ++tick % 5 == 0) {
                out.printf(Locale.ROOT, "\r  %5.1f%%  %10s  rtt %4d ms  retrans %d   ", 100.0 * bytes / sizeBytes,
                    Units.bytes(bytes), s.srttMs(), s.retransmits() + s.fastRetransmits());
                out.flush();
            }
        }
        if (terminal) {
            out.print("\r" + " ".repeat(60) + "\r");
        }
        return Arrays.copyOf(rtt, samples);
    }

    private static int percentile(int[] samples, int percent) {
        if (samples.length == 0) {
            return -1;
        }
        int[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
