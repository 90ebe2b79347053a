package io.shoal.peer.cli;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.node.PeerNode;
import io.shoal.peer.node.PeerNodeConfig;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.peer.node.TransferStatus;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.rudp.perf.Units;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The swarm demo: an in-process tracker, one seeder and {@link #DOWNLOADERS} downloaders on loopback. Each
 * downloader reaches the seeder only through its own impaired UDP relay ({@link LossyUdpRelay}: seeded loss, delay,
 * jitter); the seeder does not announce, so the downloaders find each other through the tracker and trade pieces
 * directly. Ends when both have every piece verified and their files' SHA-256 equal the source's.
 */
final class SwarmDemo {
    static final int DOWNLOADERS = 2;
    private static final long TICK_MS = 1000;

    private final long sizeBytes;
    private final double lossRate;
    private final long delayMs;
    private final long jitterMs;
    private final long seed;
    private final long timeoutSec;
    private final PrintWriter out;

    SwarmDemo(long sizeBytes, double lossRate, long delayMs, long jitterMs, long seed, long timeoutSec,
              PrintWriter out) {
        this.sizeBytes = sizeBytes;
        this.lossRate = lossRate;
        this.delayMs = delayMs;
        this.jitterMs = jitterMs;
        this.seed = seed;
        this.timeoutSec = timeoutSec;
        this.out = out;
    }

    /** Runs the demo in {@code dir}; true when both downloads are complete and equal to the source. */
    boolean run(Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("seeder")).resolve("demo.bin");
        String sourceSha = DemoFiles.generate(source, sizeBytes, seed);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<AutoCloseable> closers = new ArrayList<>();
        try {
            TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults(loopback, 0));
            closers.add(tracker);
            String announce = "http://" + LocalAddress.hostPort(loopback.getHostAddress(),
                tracker.httpAddress().getPort()) + "/announce";
            Metainfo m;
            try (PieceVerifier verifier = new PieceVerifier(PieceVerifier.defaultThreads())) {
                m = TorrentBuilder.of(source).tracker(announce).build(verifier, piece -> { });
            }
            PeerNode seeder = node(loopback, false, closers);
            seeder.add(m, source.getParent(), true);
            List<TorrentHandle> downloads = new ArrayList<>();
            List<LossyUdpRelay> relays = new ArrayList<>();
            long startNs = System.nanoTime();
            for (int i = 0; i < DOWNLOADERS; i++) {
                LossyUdpRelay relay = LossyUdpRelay.start(new InetSocketAddress(loopback, 0),
                    new InetSocketAddress(loopback, seeder.port()), lossRate, delayMs, jitterMs, seed + i);
                closers.add(relay);
                relays.add(relay);
                PeerNode downloader = node(loopback, true, closers);
                TorrentHandle h = downloader.add(m, Files.createDirectories(dir.resolve("downloader" + (i + 1))),
                    false);
                h.addPeer(relay.address());
                downloads.add(h);
            }
            int[][] transports = watch(downloads);
            long elapsedNs = System.nanoTime() - startNs;
            boolean ok = true;
            for (int i = 0; i < DOWNLOADERS; i++) {
                String sha = DemoFiles.sha256Hex(dir.resolve("downloader" + (i + 1)).resolve("demo.bin"));
                boolean match = sha.equals(sourceSha);
                ok &= match;
                TransferStatus s = downloads.get(i).status();
                out.printf(Locale.ROOT, "demo: downloader %d: %s downloaded, %s uploaded to the other, peers seen "
                        + "over rudp %d, tcp %d; relay forwarded %d datagrams, dropped %d; sha-256 %s%n", i + 1,
                    Units.bytes(s.downloadedBytes()), Units.bytes(s.uploadedBytes()), transports[i][0],
                    transports[i][1], relays.get(i).forwarded(), relays.get(i).dropped(),
                    match ? "MATCH" : "MISMATCH " + sha);
            }
            TransferStatus seeded = seeder.torrents().get(0).status();
            out.printf(Locale.ROOT, "demo: both done in %.2f s (%.2f Mbit/s each on average); the seeder uploaded "
                    + "%s = %.2fx the file, the downloaders traded the rest%n", elapsedNs / 1e9,
                Units.mbps(sizeBytes, elapsedNs), Units.bytes(seeded.uploadedBytes()),
                (double) seeded.uploadedBytes() / sizeBytes);
            out.println("demo: sha-256 of the source " + sourceSha + (ok ? "; both copies MATCH" : "; MISMATCH"));
            out.flush();
            return ok;
        } finally {
            for (int i = closers.size() - 1; i >= 0; i--) {
                closers.get(i).close();
            }
        }
    }

    private PeerNode node(InetAddress loopback, boolean announce, List<AutoCloseable> closers) throws Exception {
        PeerNode n = PeerNode.start(PeerNodeConfig.builder().port(0).bind(loopback).announce(announce).build());
        closers.add(n);
        return n;
    }

    /**
     * Waits for every download, printing a line a second on a terminal; fails on a failed torrent or the timeout.
     * Returns, per downloader, the most peers seen at once over rudp and over TCP.
     */
    private int[][] watch(List<TorrentHandle> downloads) throws Exception {
        CompletableFuture<Void> all = CompletableFuture.allOf(downloads.stream().map(TorrentHandle::completion)
            .toArray(CompletableFuture[]::new));
        int[][] transports = new int[downloads.size()][2];
        boolean terminal = System.console() != null;
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
        while (true) {
            StringBuilder line = new StringBuilder("\r ");
            for (int i = 0; i < downloads.size(); i++) {
                TransferStatus s = downloads.get(i).status();
                transports[i][0] = Math.max(transports[i][0], s.peersRudp());
                transports[i][1] = Math.max(transports[i][1], s.peersTcp());
                line.append(String.format(Locale.ROOT, " downloader %d %5.1f%% %s/s ", i + 1, s.fraction() * 100,
                    Units.bytes(s.downloadRate())));
            }
            if (terminal) {
                out.print(line);
                out.flush();
            }
            try {
                all.get(TICK_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadlineNs >= 0) {
                    throw new CliFailure("demo failed: downloads not complete after " + timeoutSec + " s");
                }
            } catch (ExecutionException e) {
                throw new CliFailure("demo failed: " + TransferWatch.oneLine(e.getCause()));
            }
        }
        if (terminal) {
            out.println();
        }
        return transports;
    }
}
