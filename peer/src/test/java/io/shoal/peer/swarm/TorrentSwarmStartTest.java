package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first flight to a new peer: what leaves with our opening, before the peer has said anything. */
class TorrentSwarmStartTest {
    private static final int PIECE_BYTES = 64 * 1024;
    /** 64 MiB in 64 KiB pieces, as shoal cuts the netem target's file. */
    private static final BlockLayout LAYOUT = BlockLayout.of(64L << 20, PIECE_BYTES);
    private static final InetAddress ADDRESS = InetAddress.getLoopbackAddress();

    /** The messages the swarm sent, in order: "unchoke", "choke", "have", ... */
    private final List<String> sent = new ArrayList<>();

    private TorrentSwarm seed(boolean superSeed) {
        TorrentSwarm swarm = new TorrentSwarm(LAYOUT, PickerConfig.rarestFirst(), ChokerConfig.defaults(), 8, null,
            1, 2, new TorrentSwarm.Outbox() {
                @Override
                public void sendHave(int peer, int piece) {
                    sent.add("have");
                }

                @Override
                public void sendInterested(int peer, boolean interested) {
                    sent.add(interested ? "interested" : "not interested");
                }

                @Override
                public void sendChoke(int peer, boolean choke) {
                    sent.add(choke ? "choke" : "unchoke");
                }

                @Override
                public void sendRequest(int peer, int block) {
                    sent.add("request");
                }

                @Override
                public void sendCancel(int peer, int block) {
                    sent.add("cancel");
                }

                @Override
                public void disconnect(int peer) {
                    sent.add("disconnect");
                }
            });
        for (int p = 0; p < LAYOUT.pieceCount(); p++) {
            swarm.havePiece(p);
        }
        if (superSeed) {
            assertTrue(swarm.superSeed(3));
        }
        return swarm;
    }

    @Test
    void shouldUnchokeANewPeerWithTheOpeningWhileASlotIsFree() {
        TorrentSwarm swarm = seed(false);
        assertTrue(swarm.connect(0, ADDRESS, 0));
        swarm.onOpeningSent(0, 0);
        assertEquals(List.of("unchoke"), sent);
        assertTrue(swarm.canServe(0, 0), "its requests are served before it says it is interested");
    }

    @Test
    void shouldShowALoneDownloaderAPipelineOfPiecesInTheFirstFlight() {
        TorrentSwarm swarm = seed(true);
        assertTrue(swarm.connect(0, ADDRESS, 0));
        swarm.onOpeningSent(0, 0);
        assertEquals("unchoke", sent.get(0));
        // With no upload rate measured yet: the floor of 8 pieces plus the default reqq's 250 blocks (63 pieces).
        long haves = sent.stream().filter("have"::equals).count();
        int reqqPieces = (RequestPipeline.DEFAULT_REQQ * LAYOUT.blockBytes() + PIECE_BYTES - 1) / PIECE_BYTES;
        assertEquals(SuperSeeder.MIN_AHEAD + reqqPieces, haves);
    }
}
