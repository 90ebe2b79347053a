package io.shoal.rudp.socket;

import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.RudpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The blocking API on loopback: a file round trip checked with SHA-256, messages, timeouts. */
@Timeout(60)
class RudpSocketTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final StaticIdentity SERVER = StaticIdentity.generate(new SecureRandom());

    private static RudpConfig server(final boolean stream) {
        return RudpConfig.builder().identity(SERVER).policy(PeerKeyPolicy.acceptAny())
                .kcp(RudpConfig.builder().build().kcp().toBuilder().stream(stream).windows(256, 256).build()).build();
    }

    private static RudpConfig client(final boolean stream) {
        return server(stream).toBuilder().identity(StaticIdentity.generate(new SecureRandom()))
                .policy(PeerKeyPolicy.pinned(SERVER.publicKey())).build();
    }

    private static InetSocketAddress loopback(final RudpServerSocket s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalSocketAddress().getPort());
    }

    @Test
    void shouldRoundTripAFileWithMatchingSha256(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("payload.bin");
        final byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(SEED).nextBytes(content);
        Files.write(file, content);
        try (RudpServerSocket server = RudpServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server(true))) {
            final CompletableFuture<byte[]> digest = CompletableFuture.supplyAsync(() -> {
                try (RudpSocket s = server.accept(); InputStream in = s.getInputStream()) {
                    final MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    final byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        sha.update(buf, 0, n);
                    }
                    return sha.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            final RudpSocket client = RudpSocket.connect(loopback(server), "server", client(true));
            try (OutputStream out = client.getOutputStream()) {
                Files.copy(file, out);
            }
            assertEquals(CloseReason.LOCAL_CLOSE, client.closeReason());
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(content),
                    digest.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldExchangeWholeMessagesAndSeeTheEnd() throws Exception {
        try (RudpServerSocket server = RudpServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server(false))) {
            try (RudpSocket client = RudpSocket.connect(loopback(server), "server", client(false))) {
                server.setSoTimeout(10_000);
                final RudpSocket accepted = server.accept();
                for (int i = 1; i <= 20; i++) {
                    client.send(new byte[i * 500]);
                }
                accepted.setSoTimeout(10_000);
                for (int i = 1; i <= 20; i++) {
                    assertEquals(i * 500, accepted.receive().length, "message boundaries kept");
                }
                accepted.send("bye".getBytes());
                client.setSoTimeout(10_000);
                assertArrayEquals("bye".getBytes(), client.receive());
                accepted.close();
                assertNull(client.receive(), "end of connection");
                assertEquals(CloseReason.PEER_CLOSE, client.closeReason());
            }
        }
    }

    @Test
    void shouldTimeOutAcceptAndReceive() throws Exception {
        try (RudpServerSocket server = RudpServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server(false))) {
            server.setSoTimeout(200);
            final long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, server::accept);
            assertEquals(200, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), 150);
            try (RudpSocket client = RudpSocket.connect(loopback(server), "server", client(false))) {
                client.setSoTimeout(150);
                assertThrows(SocketTimeoutException.class, client::receive);
                assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
                server.setSoTimeout(10_000);
                server.accept().close();
            }
        }
    }
}
