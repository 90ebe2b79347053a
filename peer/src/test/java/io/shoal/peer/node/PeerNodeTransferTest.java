package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.swarm.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    private TransferStatus transfer(PeerTransport transport, long seed) throws Exception {
        Path source = NodeFixtures.folder(tmp.resolve("seed"), "album", BYTES, seed);
        Metainfo meta = NodeFixtures.torrent(source, 64 << 10);
        try (PeerNode seeder = PeerNode.start(NodeFixtures.config(transport).build());
             PeerNode leecher = PeerNode.start(NodeFixtures.config(transport).build())) {
            TorrentHandle up = seeder.add(meta, tmp.resolve("seed"), true);
            up.completion().get(30, TimeUnit.SECONDS);
            TorrentHandle down = leecher.add(meta, tmp.resolve("down"), false);
            down.addPeer(NodeFixtures.at(seeder));
            down.completion().get(60, TimeUnit.SECONDS);
            TransferStatus status = down.status();
            NodeFixtures.assertSameTree(source, tmp.resolve("down").resolve("album"));
            assertEquals(TorrentState.SEEDING, status.state());
            assertEquals(meta.pieceCount(), status.piecesDone());
            assertEquals(meta.totalLength(), status.verifiedBytes());
            assertTrue(status.downloadedBytes() >= meta.totalLength());
            assertEquals(0, status.hashFailures());
            // The request pipeline runs on the measured RTT (loopback: well under a millisecond or two), not on its
            // 100 ms initial guess: rudp feeds the KCP engine's srtt each tick, TCP times an unqueued request.
            // The request pipeline runs on a measured RTT, not on its initial guess: rudp feeds the KCP engine's srtt
            // each tick (tens of ms while bulk data queues on loopback), TCP times an unqueued request (sub-ms).
            long guessNs = PipelineConfig.defaults().initialRttNs();
            NodeFixtures.await("a measured RTT in the pipeline", 10, () -> {
                long srtt = java.util.Arrays.stream(((Torrent) down).loopCall(() -> ((Torrent) down).connections().pipelineSrttNs())).max().orElse(0);
                return srtt > 0 && srtt < guessNs;
            });
            return status;
        }
    }
}
