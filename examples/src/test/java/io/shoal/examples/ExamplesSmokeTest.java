package io.shoal.examples;

import io.netty.channel.EventLoopGroup;
import io.shoal.rudp.socket.RudpSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Each example pair run in-process on loopback (port 0, bounded waits), checking the outcome a user would see. */
@Timeout(30)
class ExamplesSmokeTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = ExampleSupport.newGroup();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldEchoEveryByteWhenTheClientPinsTheServerKey() throws Exception {
        final byte[] data = new byte[100_000];
        new Random(SEED).nextBytes(data);
        try (EchoServer server = EchoServer.start(group, ANY_LOOPBACK)) {
            assertArrayEquals(data, EchoClient.echo(group, server.address(), server.publicKey(), data, 10_000));
        }
    }

    @Test
    void shouldEchoWhenTheClientLearnsTheServerKeyOnFirstUse() throws Exception {
        try (EchoServer server = EchoServer.start(group, ANY_LOOPBACK)) {
            assertArrayEquals("hello".getBytes(), EchoClient.echo(group, server.address(), null, "hello".getBytes(),
                    10_000));
        }
    }

    @Test
    void shouldRelayAChatMessageToTheOtherClientOnly() throws Exception {
        final LinkedBlockingQueue<String> aliceHeard = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> bobHeard = new LinkedBlockingQueue<>();
        try (ChatServer server = ChatServer.start(group, ANY_LOOPBACK);
             ChatClient alice = ChatClient.connect(group, server.address(), server.publicKey(), "alice",
                     aliceHeard::add);
             ChatClient bob = ChatClient.connect(group, server.address(), server.publicKey(), "bob", bobHeard::add)) {
            await(() -> server.members() == 2, "both clients joined");
            alice.say("hi bob").sync();
            assertEquals("alice: hi bob", bobHeard.poll(10, TimeUnit.SECONDS));
            bob.say("hi alice").sync();
            assertEquals("bob: hi alice", aliceHeard.poll(10, TimeUnit.SECONDS));
            assertNull(aliceHeard.poll(), "a sender does not hear its own message");
            assertNull(bobHeard.poll());
        }
    }

    @Test
    void shouldReceiveTheFileWithTheSameSha256(@TempDir final Path dir) throws Exception {
        final Path outbox = Files.createDirectories(dir.resolve("outbox"));
        final Path inbox = Files.createDirectories(dir.resolve("inbox"));
        final byte[] content = new byte[400_000];
        new Random(SEED).nextBytes(content);
        final Path file = Files.write(outbox.resolve("data.bin"), content);
        final var config = ExampleSupport.serverConfig(true);
        final ExecutorService receiver = Executors.newSingleThreadExecutor();
        try (var server = FileReceiver.bind(ANY_LOOPBACK, config)) {
            server.setSoTimeout(10_000);
            final Future<FileReceiver.Received> received = receiver.submit(() -> FileReceiver.receiveOne(server, inbox));
            final byte[] sent = FileSender.send(server.getLocalSocketAddress(), config.identity().publicKey(), file);
            final FileReceiver.Received r = received.get(20, TimeUnit.SECONDS);
            assertArrayEquals(sent, r.sha256());
            assertArrayEquals(FileDigest.sha256().digest(content), r.sha256());
            assertEquals(inbox.resolve("data.bin").toAbsolutePath().normalize(), r.file());
            assertArrayEquals(content, Files.readAllBytes(r.file()));
        } finally {
            receiver.shutdownNow();
        }
    }

    @Test
    void shouldWriteNothingWhenASenderNamesAFileOutsideTheFolder(@TempDir final Path dir) throws Exception {
        final Path inbox = Files.createDirectories(dir.resolve("inbox"));
        final var config = ExampleSupport.serverConfig(true);
        final ExecutorService receiver = Executors.newSingleThreadExecutor();
        try (var server = FileReceiver.bind(ANY_LOOPBACK, config)) {
            server.setSoTimeout(10_000);
            final Future<FileReceiver.Received> received = receiver.submit(() -> FileReceiver.receiveOne(server, inbox));
            try (RudpSocket evil = RudpSocket.connect(server.getLocalSocketAddress(), "server",
                    ExampleSupport.clientConfig(true, config.identity().publicKey()))) {
                // A hand-made header: FileHeader itself refuses to build one with this name.
                final DataOutputStream out = new DataOutputStream(evil.getOutputStream());
                final byte[] name = "../escaped.txt".getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeLong(4);
                out.write("evil".getBytes(StandardCharsets.UTF_8));
                final ExecutionException e = assertThrows(ExecutionException.class,
                        () -> received.get(20, TimeUnit.SECONDS));
                assertInstanceOf(IOException.class, e.getCause());
            }
            assertFalse(Files.exists(dir.resolve("escaped.txt")), "nothing written outside the folder");
            try (var left = Files.list(inbox)) {
                assertEquals(0, left.count(), "nothing written inside either");
            }
        } finally {
            receiver.shutdownNow();
        }
    }

    @Test
    void shouldRefuseFileNamesThatLeaveTheFolder() {
        for (String bad : List.of("../escape", "/etc/passwd", "a/b", "..", ".", "", "c:\\x", "nul\0byte")) {
            assertFalse(FileHeader.isPlainFileName(bad), bad);
        }
        assertTrue(FileHeader.isPlainFileName("movie.mkv"));
        assertTrue(FileHeader.isPlainFileName("..hidden"));
    }

    @Test
    void shouldKeepEveryFrameIntactThroughTheLengthFieldCodecs() throws Exception {
        final List<String> frames = LengthPrefixedPipeline.sampleFrames(40);
        assertEquals(frames, LengthPrefixedPipeline.roundTrip(group, frames, 10_000));
    }

    private static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polls the condition, not a fixed wait
        }
    }
}
