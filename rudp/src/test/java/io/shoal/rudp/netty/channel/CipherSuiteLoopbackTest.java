package io.shoal.rudp.netty.channel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.packet.HandshakeFailure;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.shoal.rudp.netty.channel.LoopbackRudp.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each cipher end to end on real loopback sockets: negotiated, used for data both ways; AUTO falling back when the
 * server refuses its first choice; an explicit choice refused at once with a reason.
 */
@Timeout(60)
class CipherSuiteLoopbackTest {
    private static final long SEED = Long.getLong("shoal.seed", 20261122L);
    @RegisterExtension
    final LoopbackSockets sockets = new LoopbackSockets();

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"CHACHA20_POLY1305", "AES_256_GCM", "AES_128_GCM"})
    void shouldEchoABulkTransferUnderTheProposedCipher(final CipherSuite suite) throws Exception {
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(), LoopbackRudp.serverConfig(true),
                new LoopbackRudp.Echo()));
        final LoopbackRudp.Collect echoes = new LoopbackRudp.Collect();
        final RudpChannel client = RudpClient.connect(sockets.group(),
                LoopbackRudp.clientConfig(true).toBuilder().cipherSuite(suite).build(), LoopbackRudp.address(server),
                "server", echoes).get(10, TimeUnit.SECONDS);
        final byte[] data = new byte[1_000_000];
        new Random(SEED).nextBytes(data);
        for (int off = 0; off < data.length; off += 4000) {
            client.write(Unpooled.wrappedBuffer(data, off, Math.min(4000, data.length - off)));
        }
        client.flush();
        await(() -> echoes.total == data.length, "echo of " + data.length + " bytes");
        assertArrayEquals(data, echoes.bytes());
        final NoiseCipher[] ciphers = new NoiseCipher[1];
        client.eventLoop().submit(() -> ciphers[0] = client.stats().protection().cipher()).sync();
        assertEquals(suite.resolve(), ciphers[0]);
        client.close().sync();
        assertEquals(CloseReason.LOCAL_CLOSE, client.closeReason().get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldFallBackAndEchoWhenTheServerRefusesWhatAutoProposes() throws Exception {
        final NoiseCipher first = CipherSuite.AUTO.resolve();
        final NoiseCipher other = first == NoiseCipher.CHACHA20_POLY1305 ? NoiseCipher.AES_128_GCM
                : NoiseCipher.CHACHA20_POLY1305;
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(),
                LoopbackRudp.serverConfig(true).toBuilder().acceptedCiphers(Set.of(other)).build(),
                new LoopbackRudp.Echo()));
        final LoopbackRudp.Collect echoes = new LoopbackRudp.Collect();
        final RudpChannel client = RudpClient.connect(sockets.group(),
                LoopbackRudp.clientConfig(true).toBuilder().cipherSuite(CipherSuite.AUTO).build(),
                LoopbackRudp.address(server), "server", echoes).get(10, TimeUnit.SECONDS);
        final byte[] data = new byte[100_000];
        new Random(SEED).nextBytes(data);
        client.writeAndFlush(Unpooled.wrappedBuffer(data));
        await(() -> echoes.total == data.length, "echo of " + data.length + " bytes");
        assertArrayEquals(data, echoes.bytes());
        final NoiseCipher[] cipher = new NoiseCipher[1];
        client.eventLoop().submit(() -> cipher[0] = client.stats().protection().cipher()).sync();
        assertEquals(other, cipher[0]);
        assertEquals(1, refusals(server), "one refusal, then the fallback was accepted");
        client.close().sync();
        assertEquals(CloseReason.LOCAL_CLOSE, client.closeReason().get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldFailTheConnectAtOnceNamingBothSidesCiphersWhenTheServerRefusesAnExplicitOne() throws Exception {
        final Channel server = sockets.track(LoopbackRudp.bindServer(sockets.group(),
                LoopbackRudp.serverConfig(false).toBuilder()
                        .acceptedCiphers(Set.of(NoiseCipher.CHACHA20_POLY1305)).build(), new LoopbackRudp.Echo()));
        final ExecutionException failed = assertThrows(ExecutionException.class, () -> RudpClient.connect(
                sockets.group(),
                LoopbackRudp.clientConfig(false).toBuilder().cipherSuite(CipherSuite.AES_256_GCM).build(),
                LoopbackRudp.address(server), "server", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS));
        final RudpHandshakeException e = assertInstanceOf(RudpHandshakeException.class, failed.getCause());
        assertEquals(HandshakeFailure.CIPHER_REFUSED, e.failure(), "the refusal, not the 10 s timeout");
        assertTrue(e.getMessage().contains("accepts only CHACHA20_POLY1305 and refused AES_256_GCM"), e.getMessage());
        assertEquals(1, refusals(server));
    }

    private static long refusals(final Channel server) throws Exception {
        final long[] refused = new long[1];
        server.eventLoop().submit(() -> refused[0] = RudpServer.codec(server).stats()
                .drops(DropReason.CIPHER_REFUSED)).sync();
        return refused[0];
    }
}
