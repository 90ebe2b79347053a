package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.registry.RegistryLimits;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.AnnounceRequest;
import io.shoal.tracker.wire.UdpTrackerCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpTrackerServiceTest {
    private static final int NOW = 1000;
    private final TrackerStats stats = new TrackerStats();
    private final SwarmRegistry registry = new SwarmRegistry(RegistryLimits.defaults(1800), null, 3);
    private final UdpTrackerService service = new UdpTrackerService(registry,
        new ConnectionIdCookies(new byte[32]), new SourceRateLimiter(0, 16),
        new RendezvousService(registry, new SourceRateLimiter(2, 16), stats), 1800, stats);
    private final ByteBuf in = Unpooled.buffer(2048);
    private final ByteBuf out = Unpooled.buffer(2048);

    @AfterEach
    void release() {
        in.release();
        out.release();
    }

    static InetSocketAddress addr(String ip, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private int send(InetSocketAddress from, int now) {
        out.clear();
        return service.handle(in, from, now, out);
    }

    private long connect(InetSocketAddress from, int now) {
        in.clear();
        UdpTrackerCodec.writeConnectRequest(in, 77);
        assertEquals(UdpTrackerService.REPLY, send(from, now));
        assertEquals(in.readableBytes(), out.readableBytes(), "connect reply is the size of the request");
        assertEquals(77, out.getInt(4));
        return out.getLong(8);
    }

    private int announce(InetSocketAddress from, long id, int now, int port) {
        AnnounceRequest r = new AnnounceRequest();
        r.infoHash[0] = 9;
        r.port = port;
        r.left = 1;
        in.clear();
        UdpTrackerCodec.writeAnnounceRequest(in, id, 5, r);
        return send(from, now);
    }

    @Test
    void shouldAnnounceAndListOtherPeerWhenConnectionIdIsValid() throws Exception {
        InetSocketAddress a = addr("10.0.0.1", 5000);
        InetSocketAddress b = addr("10.0.0.2", 5001);
        announce(a, connect(a, NOW), NOW, 6881);
        assertEquals(UdpTrackerService.REPLY, announce(b, connect(b, NOW), NOW, 6882));
        assertEquals(UdpTrackerCodec.ACTION_ANNOUNCE, out.getInt(0));
        assertEquals(1800, out.getInt(8));
        assertEquals(2, out.getInt(12), "leechers");
        assertEquals(26, out.readableBytes(), "header and one peer");
        assertEquals(0x0A000001, out.getInt(20));
        assertEquals(6881, out.getUnsignedShort(24));
    }

    @Test
    void shouldDropSilentlyWhenConnectionIdIsWrongExpiredOrForAnotherAddress() throws Exception {
        InetSocketAddress a = addr("10.0.0.1", 5000);
        long id = connect(a, NOW);
        assertEquals(UdpTrackerService.DROP, announce(a, id ^ 1, NOW, 1));
        assertEquals(UdpTrackerService.DROP, announce(addr("10.0.0.9", 5000), id, NOW, 1));
        assertEquals(UdpTrackerService.DROP, announce(a, id, NOW + ConnectionIdCookies.LIFETIME_SEC + 1, 1));
        assertEquals(UdpTrackerService.REPLY, announce(a, id, NOW + ConnectionIdCookies.LIFETIME_SEC, 1));
        assertEquals(3, stats.udpBadConnectionId);
    }

    @Test
    void shouldNeverAnswerUnverifiedSourceWithMoreThanItSentWhenFuzzed() throws Exception {
        Random rnd = new Random(11);
        InetSocketAddress spoofed = addr("192.0.2.1", 1);
        for (int i = 0; i < 20_000; i++) {
            in.clear();
            byte[] junk = new byte[rnd.nextInt(200)];
            rnd.nextBytes(junk);
            if (junk.length >= 16 && rnd.nextBoolean()) {
                junk[8] = junk[9] = junk[10] = 0;
                junk[11] = (byte) rnd.nextInt(4);
            }
            in.writeBytes(junk);
            int outcome = send(spoofed, NOW);
            assertTrue(outcome == UdpTrackerService.DROP || out.readableBytes() <= junk.length,
                "reply to an unverified source no larger than the request");
        }
        assertEquals(0, registry.peers());
    }

    @Test
    void shouldAnswerErrorWhenVerifiedRequestIsMalformed() throws Exception {
        InetSocketAddress a = addr("10.0.0.1", 5000);
        long id = connect(a, NOW);
        in.clear();
        in.writeLong(id).writeInt(UdpTrackerCodec.ACTION_ANNOUNCE).writeInt(3).writeZero(10);
        assertEquals(UdpTrackerService.REPLY, send(a, NOW));
        assertEquals(UdpTrackerCodec.ACTION_ERROR, out.getInt(0));
        assertTrue(out.readableBytes() <= 28);
        in.clear();
        in.writeLong(id).writeInt(99).writeInt(3);
        send(a, NOW);
        assertEquals(UdpTrackerCodec.ACTION_ERROR, out.getInt(0));
    }

    @Test
    void shouldIntroduceBothSidesWhenBothAnnouncedOverUdp() throws Exception {
        InetSocketAddress a = addr("10.0.0.1", 40001);
        InetSocketAddress b = addr("10.0.0.2", 40002);
        long idA = connect(a, NOW);
        announce(a, idA, NOW, 6881);
        announce(b, connect(b, NOW), NOW, 6882);
        in.clear();
        byte[] hash = new byte[20];
        hash[0] = 9;
        UdpTrackerCodec.writeIntroduceRequest(in, idA, 42, hash, 0x0A000002, 6882, 6881);
        assertEquals(UdpTrackerService.REPLY_AND_NOTICE, send(a, NOW));
        assertEquals(UdpTrackerCodec.ACTION_INTRODUCE, out.getInt(0));
        assertEquals(0x0A000002, out.getInt(28));
        assertEquals(40002, out.getUnsignedShort(32), "the target's public (source) port, not its announced one");
        assertEquals(0x0A000002L << 16 | 40002, service.noticeTarget());
        ByteBuf notice = Unpooled.buffer();
        try {
            service.writeNotice(notice);
            assertEquals(UdpTrackerCodec.ACTION_INTRODUCED, notice.getInt(0));
            assertEquals(0x0A000001, notice.getInt(28));
            assertEquals(40001, notice.getUnsignedShort(32));
        } finally {
            notice.release();
        }
        // From another socket of the same host: not the endpoint that announced.
        long idA2 = connect(addr("10.0.0.1", 40009), NOW);
        in.clear();
        UdpTrackerCodec.writeIntroduceRequest(in, idA2, 43, hash, 0x0A000002, 6882, 6881);
        assertEquals(UdpTrackerService.REPLY, send(addr("10.0.0.1", 40009), NOW));
        assertEquals(UdpTrackerCodec.ACTION_ERROR, out.getInt(0));
    }
}
