package io.shoal.netem.suite;

import io.shoal.netem.NetemProxy;
import io.shoal.netem.ProxyStats;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.node.PeerTransport;
import io.shoal.rudp.cc.CongestionControl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

/**
 * A file transfer between two shoal peers over secure rudp through the scenario's UDP proxy: a {@link
 * io.shoal.peer.node.PeerNode} seeds a file of seeded random bytes, a second one downloads it by dialling the proxy
 * in front of the seeder (announce off, so the proxy is the only path). The node checks every piece (SHA-1);
 * integrity here is the SHA-256 of the downloaded file against the source's. Goodput is payload over the time from
 * adding the torrent to its completion (handshake and piece exchange start-up included). The size is the suite's
 * bulk size unless given. Under a profile with mid-transfer toxics (blackout, rebinding) the downloader is limited to
 * a rate that makes the transfer last about {@value #MIDWAY_SPAN_MS} ms, so the toxics, added through the API a
 * moment after the third is signalled, hit the transfer in flight rather than after its end; goodput there is
 * bounded by that limit.
 */
public final class PeerTransferWorkload implements Workload {
    /** How long a transfer under mid-transfer toxics is made to last at least, by a download limit. */
    static final long MIDWAY_SPAN_MS = 2_000;

    private final long bytes;
    private final CongestionControl congestionControl;

    /** The suite's bulk size ({@link SuiteSize#bulkBytes()}), the node's default rudp settings. */
    public PeerTransferWorkload() {
        this(0, null);
    }

    /**
     * For benchmarks: a fixed size in bytes (0: the suite's bulk size) and a rudp congestion control (null: the
     * node's default).
     */
    public PeerTransferWorkload(long bytes, CongestionControl congestionControl) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0");
        }
        this.bytes = bytes;
        this.congestionControl = congestionControl;
    }

    @Override
    public String id() {
        return "peer-transfer";
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        long size = bytes > 0 ? bytes : ctx.size().bulkBytes();
        Path scratch = Files.createTempDirectory("shoal-netem-peer-");
        try {
            Path source = scratch.resolve("seed").resolve("payload.bin");
            byte[] want = SeededFiles.write(source, size, ctx.seed());
            Metainfo meta = PeerTransfer.torrent(source, List.of());
            PeerTransfer.Setup setup = PeerTransfer.Setup.of(EnumSet.of(PeerTransport.RUDP))
                .withCongestionControl(congestionControl)
                .withDownloadLimit(ctx.profile().midway().isEmpty() ? 0 : size * 1000 / MIDWAY_SPAN_MS);
            PeerTransfer.Result r = PeerTransfer.run(setup, meta, source.getParent(), scratch.resolve("down"),
                seeder -> ctx.udpProxy("peer-transfer", seeder), ctx::midway, ctx.remainingMs());
            byte[] got = SeededFiles.sha256(scratch.resolve("down").resolve("payload.bin"));
            if (!Arrays.equals(want, got)) {
                throw new IntegrityException("SHA-256 of the downloaded file differs: sent "
                    + HexFormat.of().formatHex(want) + ", received " + HexFormat.of().formatHex(got));
            }
            if (r.downloader().peersRudp() < 1) {
                throw new IntegrityException("the download did not run over rudp (" + r.downloader().peersTcp()
                    + " TCP peers)");
            }
            return new Measurement(size, r.elapsedNs(), new LatencySamples(), 0, detail(ctx, r));
        } finally {
            SeededFiles.deleteTree(scratch);
        }
    }

    private static String detail(ScenarioContext ctx, PeerTransfer.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(r.downloader().piecesTotal()).append(" pieces, ").append(r.downloader().hashFailures())
            .append(" hash failures, seeder uploaded ").append(r.seeder().uploadedBytes()).append(" B");
        s.append(", ").append(r.timeProfile());
        for (NetemProxy p : ctx.server().proxies().list()) {
            ProxyStats st = p.stats();
            s.append(", seeder->downloader datagrams ").append(st.downstream().offered()).append(" offered, ")
                .append(st.downstream().dropped()).append(" dropped");
        }
        return s.toString();
    }
}
