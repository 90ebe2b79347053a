package io.shoal.netem.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bulk workload through kcptun, for comparison through the same proxy: a TCP source writes
 * {@link SuiteSize#bulkBytes()} seeded bytes into {@code kcptun-client}, which tunnels over UDP through the proxy to
 * {@code kcptun-server}, which forwards to a TCP sink that hashes them. kcptun runs as close to shoal's raw profile as
 * it allows ({@code --crypt none --nocomp --ds 0 --ps 0 --mode fast}, 256-segment windows like the rudp workloads).
 * Integrity as for {@link RudpBulkWorkload}; goodput from the first byte written to the last byte hashed. kcp-go
 * routes sessions by address too, so rebinding is skipped; without kcptun installed every scenario is skipped.
 */
public final class KcptunBulkWorkload implements Workload {
    private static final long START_TIMEOUT_MS = 10_000;
    private static final List<String> FLAGS = List.of("--crypt", "none", "--nocomp", "--ds", "0", "--ps", "0",
        "--mode", "fast", "--sndwnd", "256", "--rcvwnd", "256", "--quiet");

    private final String unavailable = KcptunProcess.unavailableReason();

    @Override
    public String id() {
        return "kcptun-bulk";
    }

    @Override
    public String unsupportedReason(LinkProfile profile) {
        if (unavailable != null) {
            return unavailable;
        }
        return profile.rebinds() ? "kcp-go keys sessions by address and cannot follow a rebinding" : null;
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        int total = ctx.size().bulkBytes();
        byte[] data = new byte[total];
        new SplittableRandom(ctx.seed()).nextBytes(data);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket sinkSocket = new ServerSocket(0, 1, loopback)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> drain(sinkSocket, total, ctx));
            int kcpPort = KcptunProcess.freePort(true);
            int localPort = KcptunProcess.freePort(false);
            try (KcptunProcess server = KcptunProcess.start("kcptun-server", args("-t", sinkSocket.getLocalPort(),
                     "-l", kcpPort), true, kcpPort, START_TIMEOUT_MS)) {
                InetSocketAddress proxy = ctx.udpProxy("kcptun", new InetSocketAddress(loopback, kcpPort));
                try (KcptunProcess client = KcptunProcess.start("kcptun-client", args("-r", proxy.getPort(),
                         "-l", localPort), false, localPort, START_TIMEOUT_MS);
                     Socket source = new Socket(loopback, localPort)) {
                    long startNs = System.nanoTime();
                    try (OutputStream out = source.getOutputStream()) {
                        out.write(data);
                        byte[] got = received.get(ctx.remainingMs(), TimeUnit.MILLISECONDS);
                        long elapsedNs = System.nanoTime() - startNs;
                        if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(data), got)) {
                            throw new IntegrityException("SHA-256 at the sink differs from the source's");
                        }
                        // The tunnel's own CPU is in its processes, not in this JVM's figure.
                        return new Measurement(total, elapsedNs, new LatencySamples(), 0, String.format(
                            java.util.Locale.ROOT, "kcptun processes used %.2f s CPU; %s",
                            client.cpuSeconds() + server.cpuSeconds(),
                            String.join(" ", FLAGS.subList(0, FLAGS.size() - 1))));
                    }
                }
            }
        }
    }

    private static List<String> args(String from, int fromPort, String to, int toPort) {
        List<String> a = new java.util.ArrayList<>(List.of(from, "127.0.0.1:" + fromPort, to, "127.0.0.1:" + toPort));
        a.addAll(FLAGS);
        return a;
    }

    /** Accepts one connection and hashes exactly {@code total} bytes from it (more is an integrity failure). */
    private static byte[] drain(ServerSocket sinkSocket, int total, ScenarioContext ctx) {
        try (Socket s = sinkSocket.accept(); InputStream in = s.getInputStream()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long count = 0;
            for (int n; count < total && (n = in.read(buf)) >= 0; ) {
                digest.update(buf, 0, n);
                count += n;
                if (count >= total / 3) {
                    ctx.midway();
                }
            }
            if (count != total) {
                throw new IllegalStateException("the sink received " + count + " bytes, the source sent " + total);
            }
            return digest.digest();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("sink: " + e, e);
        }
    }
}
