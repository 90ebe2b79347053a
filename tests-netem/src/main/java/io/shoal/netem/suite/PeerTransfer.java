package io.shoal.netem.suite;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.node.PeerNode;
import io.shoal.peer.node.PeerNodeConfig;
import io.shoal.peer.node.PeerTransport;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.peer.node.TransferStatus;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.session.RudpConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One file transfer between two {@link PeerNode}s on loopback, seeder to downloader, announce off: the downloader
 * dials the address {@link Route} gives for the seeder (the seeder itself, or an impairment proxy in front of it).
 * Used by the suite's {@link PeerTransferWorkload} and by the peer benchmarks, so both time the same thing: from
 * the moment the downloader's torrent is added and told the peer, to the moment its last piece is verified on disk
 * (SHA-1 per piece, by the node). Whole-file checks (SHA-256) are the caller's.
 */
public final class PeerTransfer {
    /** How long a secure rudp handshake may take through an impaired link before the dial counts as failed. */
    private static final long RUDP_CONNECT_TIMEOUT_MS = 10_000;
    private static final long POLL_MS = 20;
    /** The node's own window (RudpConfigs.forNode in the peer module); only used when the CC is overridden. */
    private static final int NODE_WINDOW_SEGMENTS = 2048;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Where the downloader should dial to reach a seeder listening on {@code seeder} (TCP and UDP, one port). */
    @FunctionalInterface
    public interface Route {
        InetSocketAddress to(InetSocketAddress seeder) throws IOException, InterruptedException;
    }

    /**
     * @param elapsedNs  from adding the torrent to the downloader to its completion
     * @param downloader the downloader's status at completion
     * @param seeder     the seeder's status at completion
     * @param timeProfile where the time went ({@link TransferTimeline#summary}): start-up, the middle's rate, the tail
     */
    public record Result(long elapsedNs, TransferStatus downloader, TransferStatus seeder, String timeProfile) {
        /** Payload megabytes (10^6 bytes) per second. */
        public double megabytesPerSec() {
            return downloader.totalBytes() / 1e6 / (elapsedNs / 1e9);
        }
    }

    private PeerTransfer() {
    }

    /** A single-tier-per-URL torrent of {@code source} with the piece length chosen from its size. */
    public static Metainfo torrent(Path source, List<String> trackers) throws IOException, MetainfoException {
        TorrentBuilder b = TorrentBuilder.of(source);
        trackers.forEach(b::tracker);
        try (PieceVerifier v = new PieceVerifier(PieceVerifier.defaultThreads())) {
            return b.build(v, piece -> { });
        }
    }

    /** A node on loopback with the given transports, announce off, a patient rudp dial. */
    public static PeerNodeConfig.Builder nodeConfig(Set<PeerTransport> transports) {
        return PeerNodeConfig.builder().port(0).bind(LOOPBACK).announce(false).transports(transports)
            .rudpConnectTimeoutMs(RUDP_CONNECT_TIMEOUT_MS);
    }

    /**
     * How the two nodes are set up.
     *
     * @param transports               what both nodes speak
     * @param congestionControl        the rudp congestion control, or null for the node's default settings
     * @param downloadLimitBytesPerSec the downloader's rate limit, 0 for none
     * @param rawProfile               rudp without handshake or encryption (benchmarks measuring the peer alone)
     */
    public record Setup(Set<PeerTransport> transports, CongestionControl congestionControl,
                        long downloadLimitBytesPerSec, boolean rawProfile) {
        /** The node defaults over {@code transports}, no limit. */
        public static Setup of(Set<PeerTransport> transports) {
            return new Setup(transports, null, 0, false);
        }

        public Setup withCongestionControl(CongestionControl cc) {
            return new Setup(transports, cc, downloadLimitBytesPerSec, rawProfile);
        }

        public Setup withDownloadLimit(long bytesPerSec) {
            return new Setup(transports, congestionControl, bytesPerSec, rawProfile);
        }

        /** Both nodes on the raw rudp profile (bare KCP, no crypto), the node's other rudp settings unchanged. */
        public Setup withRawProfile() {
            return new Setup(transports, congestionControl, downloadLimitBytesPerSec, true);
        }

        PeerNodeConfig.Builder node() {
            PeerNodeConfig.Builder b = nodeConfig(transports);
            if (congestionControl != null || rawProfile) {
                // The node's own rudp settings (turbo, stream mode, 2048-segment windows, immediate ACKs, BBR) with
                // another congestion control or profile: the node takes a base config and adds its identity and key
                // policy.
                b.rudpConfig(RudpConfig.builder().profile(rawProfile ? RudpConfig.Profile.RAW
                    : RudpConfig.Profile.SECURE).kcp(KcpConfig.builder().mode("turbo").stream(true)
                    .windows(NODE_WINDOW_SEGMENTS, NODE_WINDOW_SEGMENTS).ackNoDelay(true).flushOnAck(true)
                    .congestionControl(congestionControl != null ? congestionControl : CongestionControl.BBR).build())
                    .build());
            }
            return b;
        }
    }

    /**
     * Seeds {@code meta} from {@code seedDir} (its data already there) and downloads it into {@code downloadDir};
     * calls {@code atThird} once (on this thread) when a third is verified. Both nodes are closed on return.
     *
     * @throws TimeoutException when the transfer has not completed within {@code timeoutMs}
     */
    public static Result run(Setup setup, Metainfo meta, Path seedDir, Path downloadDir, Route route,
                             Runnable atThird, long timeoutMs) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (PeerNode seeder = PeerNode.start(setup.node().build());
             PeerNode downloader = PeerNode.start(setup.node()
                 .downloadLimitBytesPerSec(setup.downloadLimitBytesPerSec()).build())) {
            TorrentHandle up = seeder.add(meta, seedDir, true);
            await(up.completion(), deadlineNs, "the seeder's check of its data");
            InetSocketAddress target = route.to(new InetSocketAddress(LOOPBACK, seeder.port()));
            long startNs = System.nanoTime();
            TorrentHandle down = downloader.add(meta, downloadDir, false);
            // Stamped by the completing thread; read only after this future is done (isDone of the original may
            // be seen before a whenComplete callback has run).
            CompletableFuture<Long> doneNs = down.completion().thenApply(v -> System.nanoTime());
            down.addPeer(target);
            TransferTimeline timeline = new TransferTimeline(startNs, Math.max(1, meta.totalLength()));
            boolean thirdSignalled = false;
            while (!doneNs.isDone()) {
                timeline.record(System.nanoTime(), down.status().downloadedBytes());
                if (!thirdSignalled && down.status().verifiedBytes() * 3 >= meta.totalLength()) {
                    thirdSignalled = true;
                    atThird.run();
                }
                if (System.nanoTime() - deadlineNs > 0) {
                    TransferStatus s = down.status();
                    throw new TimeoutException("transfer not complete after " + timeoutMs + " ms: " + s.verifiedBytes()
                        + " of " + s.totalBytes() + " bytes verified, " + s.peersConnected() + " peer(s) connected");
                }
                await(doneNs, Math.min(deadlineNs, System.nanoTime() + POLL_MS * 1_000_000L), null);
            }
            long endNs = doneNs.get(); // throws on a storage failure
            if (!thirdSignalled) {
                atThird.run();
            }
            return new Result(endNs - startNs, down.status(), up.status(), timeline.summary(endNs));
        }
    }

    /**
     * Waits for {@code f} until {@code untilNs}; returns quietly at that time when {@code what} is null (a poll), else
     * throws a {@link TimeoutException} naming {@code what}.
     */
    private static void await(CompletableFuture<?> f, long untilNs, String what) throws Exception {
        try {
            f.get(Math.max(0, untilNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (what != null) {
                throw new TimeoutException("timed out waiting for " + what);
            }
        } catch (ExecutionException e) {
            if (what != null) {
                throw e;
            }
        }
    }
}
