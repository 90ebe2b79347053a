package io.shoal.peer.metadata;

import io.shoal.peer.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataFetcherTest {
    private static final long TIMEOUT_NS = 1_000_000_000L;
    /** Three pieces: two full, one of 100 bytes. */
    private static final byte[] INFO = info(2 * MetadataCodec.PIECE_BYTES + 100, 7);
    private static final MetadataServer SERVER = new MetadataServer(INFO);

    private static byte[] info(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static MetadataFetcher fetcher() {
        return new MetadataFetcher(InfoHash.sha1Of(INFO, 0, INFO.length), TIMEOUT_NS);
    }

    @Test
    void shouldAssembleOutOfOrderPiecesAndCheckTheHash() {
        MetadataFetcher f = fetcher();
        assertTrue(f.addPeer(1, INFO.length));
        int[] asked = {f.nextRequest(1, 0), f.nextRequest(1, 0), f.nextRequest(1, 0)};
        assertArrayEquals(new int[] {0, 1, 2}, asked);
        assertEquals(-1, f.nextRequest(1, 0), "nothing left to ask");
        assertEquals(MetadataFetcher.Outcome.ACCEPTED, f.onMessage(1, SERVER.respond(2), 1));
        assertEquals(MetadataFetcher.Outcome.ACCEPTED, f.onMessage(1, SERVER.respond(0), 2));
        assertFalse(f.isComplete());
        assertThrows(IllegalStateException.class, f::metadata);
        assertEquals(MetadataFetcher.Outcome.COMPLETE, f.onMessage(1, SERVER.respond(1), 3));
        assertArrayEquals(INFO, f.metadata());
    }

    @Test
    void shouldRefuseUnusableSizes() {
        MetadataFetcher f = fetcher();
        assertFalse(f.addPeer(1, 0));
        assertFalse(f.addPeer(2, -5));
        assertFalse(f.addPeer(3, MetadataCodec.MAX_METADATA_BYTES + 1L));
        assertEquals(-1, f.totalBytes());
        assertEquals(-1, f.nextRequest(1, 0));
        assertTrue(f.addPeer(4, INFO.length));
        assertFalse(f.addPeer(5, INFO.length + 1), "a peer disagreeing on the size is not asked");
        assertEquals(-1, f.nextRequest(5, 0));
    }

    @Test
    void shouldIgnoreUnrequestedWrongSizeAndDuplicateData() {
        MetadataFetcher f = fetcher();
        f.addPeer(1, INFO.length);
        assertEquals(MetadataFetcher.Outcome.IGNORED, f.onMessage(1, SERVER.respond(0), 0), "not asked");
        assertEquals(0, f.nextRequest(1, 0));
        MetadataMessage.Data good = (MetadataMessage.Data) SERVER.respond(0);
        assertEquals(MetadataFetcher.Outcome.IGNORED, f.onMessage(1,
            new MetadataMessage.Data(0, INFO.length + 1, good.data()), 0), "wrong total size");
        assertEquals(1, f.nextRequest(1, 0), "piece 0 is not asked of that peer again");
        assertEquals(MetadataFetcher.Outcome.ACCEPTED, f.onMessage(1, SERVER.respond(1), 0));
        assertEquals(MetadataFetcher.Outcome.IGNORED, f.onMessage(1, SERVER.respond(1), 0), "duplicate");
        assertEquals(MetadataFetcher.Outcome.IGNORED, f.onMessage(9, SERVER.respond(1), 0), "unknown peer");
    }

    @Test
    void shouldAskAnotherPeerAfterRejectOrTimeout() {
        MetadataFetcher f = fetcher();
        f.addPeer(1, INFO.length);
        f.addPeer(2, INFO.length);
        assertEquals(0, f.nextRequest(1, 0));
        assertEquals(1, f.nextRequest(1, 0));
        assertEquals(MetadataFetcher.Outcome.REJECTED, f.onMessage(1, new MetadataMessage.Reject(0), 0));
        long later = TIMEOUT_NS / 2;
        assertEquals(0, f.nextRequest(2, later), "the rejected piece goes to the other peer");
        assertEquals(2, f.nextRequest(2, later));
        assertEquals(-1, f.nextRequest(2, later));
        assertEquals(1, f.nextRequest(2, TIMEOUT_NS), "peer 1's request for piece 1 timed out");
        assertEquals(MetadataFetcher.Outcome.ACCEPTED, f.onMessage(1, SERVER.respond(1), TIMEOUT_NS + 1),
            "a late answer from the first peer still counts");
        f.onMessage(2, SERVER.respond(0), TIMEOUT_NS + 2);
        assertEquals(MetadataFetcher.Outcome.COMPLETE, f.onMessage(2, SERVER.respond(2), TIMEOUT_NS + 3));
        assertArrayEquals(INFO, f.metadata());
    }

    @Test
    void shouldCapOutstandingRequestsPerPeer() {
        byte[] big = info(10 * MetadataCodec.PIECE_BYTES, 3);
        MetadataFetcher f = new MetadataFetcher(InfoHash.sha1Of(big, 0, big.length), TIMEOUT_NS);
        f.addPeer(1, big.length);
        int asked = 0;
        while (f.nextRequest(1, 0) >= 0) {
            asked++;
        }
        assertEquals(MetadataFetcher.MAX_OUTSTANDING_PER_PEER, asked);
    }

    @Test
    void shouldBanSendersAndRestartWhenTheHashDoesNotMatch() {
        byte[] liar = INFO.clone();
        liar[5] ^= 1;
        MetadataServer wrong = new MetadataServer(liar);
        MetadataFetcher f = fetcher();
        f.addPeer(1, INFO.length);
        for (int i = 0; i < 3; i++) {
            f.nextRequest(1, 0);
        }
        f.onMessage(1, wrong.respond(0), 0);
        f.onMessage(1, wrong.respond(1), 0);
        assertEquals(MetadataFetcher.Outcome.HASH_MISMATCH, f.onMessage(1, wrong.respond(2), 0));
        assertEquals(1, f.hashFailures());
        assertEquals(0, f.piecesReceived());
        assertFalse(f.hasUsablePeer());
        assertEquals(-1, f.nextRequest(1, 0), "the liar is banned");
        assertTrue(f.addPeer(2, INFO.length));
        for (int piece = f.nextRequest(2, 0); piece >= 0; piece = f.nextRequest(2, 0)) {
            f.onMessage(2, SERVER.respond(piece), 0);
        }
        assertTrue(f.isComplete());
        assertArrayEquals(INFO, f.metadata());
    }

    @Test
    void shouldTakeEveryPieceFromOnePeerAfterAMismatchWithSeveralSenders() {
        byte[] lie = INFO.clone();
        lie[INFO.length - 1] ^= 1;
        MetadataServer liar = new MetadataServer(lie);
        MetadataFetcher f = fetcher();
        f.addPeer(1, INFO.length);
        f.addPeer(2, INFO.length);
        assertEquals(0, f.nextRequest(1, 0));
        assertEquals(1, f.nextRequest(1, 0));
        assertEquals(2, f.nextRequest(2, 0));
        f.onMessage(1, SERVER.respond(0), 0);
        f.onMessage(1, SERVER.respond(1), 0);
        assertEquals(MetadataFetcher.Outcome.HASH_MISMATCH, f.onMessage(2, liar.respond(2), 0));
        assertTrue(f.hasUsablePeer(), "nobody is banned: the liar is not known yet");
        assertEquals(0, f.nextRequest(2, 0), "peer 2 asks first, so this attempt is all peer 2's");
        assertEquals(-1, f.nextRequest(1, 0));
        f.nextRequest(2, 0);
        f.nextRequest(2, 0);
        for (int piece = 0; piece < 2; piece++) {
            f.onMessage(2, liar.respond(piece), 0);
        }
        assertEquals(MetadataFetcher.Outcome.HASH_MISMATCH, f.onMessage(2, liar.respond(2), 0));
        assertEquals(-1, f.nextRequest(2, 0), "peer 2 alone failed: banned");
        for (int piece = f.nextRequest(1, 0); piece >= 0; piece = f.nextRequest(1, 0)) {
            f.onMessage(1, SERVER.respond(piece), 0);
        }
        assertArrayEquals(INFO, f.metadata());
        assertEquals(2, f.hashFailures());
    }

    @Test
    void shouldRecoverFromAPeerThatLiesAboutTheSize() {
        MetadataFetcher f = fetcher();
        byte[] shortInfo = Arrays.copyOf(INFO, 100);
        MetadataServer liar = new MetadataServer(shortInfo);
        assertTrue(f.addPeer(1, shortInfo.length), "the first size offered is adopted");
        assertFalse(f.addPeer(2, INFO.length));
        assertEquals(0, f.nextRequest(1, 0));
        assertEquals(MetadataFetcher.Outcome.HASH_MISMATCH, f.onMessage(1, liar.respond(0), 0));
        assertEquals(INFO.length, f.totalBytes(), "restarted with the honest peer's size");
        for (int piece = f.nextRequest(2, 0); piece >= 0; piece = f.nextRequest(2, 0)) {
            f.onMessage(2, SERVER.respond(piece), 0);
        }
        assertArrayEquals(INFO, f.metadata());
    }

    @Test
    void shouldRequeuePiecesOfAPeerThatLeft() {
        MetadataFetcher f = fetcher();
        f.addPeer(1, INFO.length);
        f.addPeer(2, INFO.length);
        assertEquals(0, f.nextRequest(1, 0));
        f.removePeer(1);
        assertEquals(0, f.nextRequest(2, 0));
    }
}
