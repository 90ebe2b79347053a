package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.session.RudpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two real nodes on loopback move a multi-file torrent over one transport at a time. */
class PeerNodeTransferTest {
    private static final int BYTES = 3 << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldTransferMultiFileTorrentWhenOnlyRudp() throws Exception {
        TransferStatus done = transfer(PeerTransport.RUDP, 11);
        assertEquals(1, done.peersRudp(), "connected over rudp");
        assertEquals(0, done.peersTcp());
    }

    @Test
    void shouldTransferMultiFileTorrentWhenOnlyTcp() throws Exception {
        TransferStatus done = transfer(PeerTransport.TCP, 12);
        assertEquals(1, done.peersTcp(), "connected over TCP");
        assertEquals(0, done.peersRudp());
    }

    @Test
    void shouldTransferOverBothTransportsWhenNioEventLoop() throws Exception {
        for (PeerTransport transport : PeerTransport.values()) {
            TransferStatus done = transfer(() -> NodeFixtures.config(transport).ioTransport(RawKcpTransport.NIO),
                13 + transport.ordinal(), tmp.resolve(transport.name()));
            assertEquals(1, done.peersConnected(), "connected over " + transport + " on NIO");
        }
    }

    @Test
    void shouldTransferOverRawRudpWhenBenchmarkProfile() throws Exception {
        RudpConfig raw = RudpConfig.builder().profile(RudpConfig.Profile.RAW).build();
        TransferStatus done = transfer(() -> NodeFixtures.config(PeerTransport.RUDP).rudpConfig(raw), 15, tmp);
        assertEquals(1, done.peersRudp(), "connected over raw rudp");
    }

    private TransferStatus transfer(PeerTransport transport, long seed) throws Exception {
        return transfer(() -> NodeFixtures.config(transport), seed, tmp);
    }

    private TransferStatus transfer(Supplier<PeerNodeConfig.Builder> config, long seed, Path dir) throws Exception {
        Path source = NodeFixtures.folder(dir.resolve("seed"), "album", BYTES, seed);
        Metainfo meta = NodeFixtures.torrent(source, 64 << 10);
        try (PeerNode seeder = PeerNode.start(config.get().build());
             PeerNode leecher = PeerNode.start(config.get().build())) {
            TorrentHandle up = seeder.add(meta, dir.resolve("seed"), true);
            up.completion().get(30, TimeUnit.SECONDS);
            TorrentHandle down = leecher.add(meta, dir.resolve("down"), false);
            down.addPeer(NodeFixtures.at(seeder));
            down.completion().get(60, TimeUnit.SECONDS);
            TransferStatus status = down.status();
            NodeFixtures.assertSameTree(source, dir.resolve("down").resolve("album"));
            assertEquals(TorrentState.SEEDING, status.state());
            assertEquals(meta.pieceCount(), status.piecesDone());
            assertEquals(meta.totalLength(), status.verifiedBytes());
            assertTrue(status.downloadedBytes() >= meta.totalLength());
            assertEquals(0, status.hashFailures());
            // The request pipeline runs on a measured RTT, not on its initial guess: rudp feeds the KCP engine's srtt
            // each tick (tens of ms while bulk data queues on loopback), TCP times an unqueued request (sub-ms, but
            // a starved machine can stretch one sample past the guess, so the value is not compared with it: the
            // pipeline must say its RTT came from the transport, and a positive one).
            NodeFixtures.await("a measured RTT in the pipeline", 10, () -> {
                Torrent t = (Torrent) down;
                long srtt = java.util.Arrays.stream(t.loopCall(() -> t.connections().pipelineSrttNs())).max()
                    .orElse(0);
                return srtt > 0;
            });
            return status;
        }
    }
}
