package io.shoal.peer.metadata;

import io.shoal.peer.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MetadataDownloaderTest {
    private static final byte[] PEER_ID = "-SH0100-testtesttest".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static byte[] info(int length) {
        byte[] b = new byte[length];
        new Random(21).nextBytes(b);
        return b;
    }

    @Test
    void shouldFetchMetadataOverTcpFromAHonestPeerDespiteALiar() throws Exception {
        byte[] info = info(3 * MetadataCodec.PIECE_BYTES + 5);
        InfoHash hash = InfoHash.sha1Of(info, 0, info.length);
        byte[] lie = info.clone();
        lie[lie.length - 1] ^= 1;
        try (ServingPeer liar = new ServingPeer(hash, lie); ServingPeer honest = new ServingPeer(hash, info)) {
            byte[] got = MetadataDownloader.fetch(hash, PEER_ID, List.of(liar.address(), honest.address()),
                Duration.ofSeconds(20));
            assertArrayEquals(info, got);
        }
    }

    @Test
    void shouldFailWithOneLineWhenNoPeerHasIt() throws Exception {
        byte[] info = info(1000);
        InfoHash hash = InfoHash.sha1Of(info, 0, info.length);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> MetadataDownloader.fetch(hash, PEER_ID,
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort)), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().startsWith("metadata not received") && !e.getMessage().contains("\n"),
            e.getMessage());
        assertThrows(IOException.class, () -> MetadataDownloader.fetch(hash, PEER_ID, List.of(),
            Duration.ofSeconds(1)));
    }

    @Test
    void shouldGiveUpOnAPeerServingAnotherTorrent() throws Exception {
        byte[] info = info(1000);
        InfoHash hash = InfoHash.sha1Of(info, 0, info.length);
        InfoHash other = InfoHash.sha1Of(info, 1, 10);
        try (ServingPeer wrong = new ServingPeer(other, info)) {
            IOException e = assertThrows(IOException.class, () -> MetadataDownloader.fetch(hash, PEER_ID,
                List.of(wrong.address()), Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("another torrent"), e.getMessage());
        }
    }
}
