package io.shoal.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.bencode.BencodeFieldException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerWireCodecTest {
    @Test
    void shouldRoundTripHandshakeAndEveryMessageKind() {
        List<PeerMessage> sent = WireMessages.everyKind();
        ByteBuf wire = Unpooled.buffer();
        PeerWireEncoder.encodeHandshake(WireMessages.handshake(), wire);
        assertEquals(Handshake.LENGTH, wire.readableBytes());
        sent.forEach(m -> PeerWireEncoder.encode(m, wire));
        PeerWireDecoder d = new PeerWireDecoder(PeerWireLimits.defaults(WireMessages.PIECES), ByteBufAllocator.DEFAULT,
            true);
        d.feed(wire);
        assertNull(d.poll(), "no message before the handshake is polled");
        Handshake h = d.pollHandshake();
        assertEquals(WireMessages.handshake(), h);
        assertTrue(h.supportsExtensions() && h.supportsFast() && !h.supportsDht());
        List<PeerMessage> got = WireMessages.drain(d);
        assertNull(d.error());
        assertEquals(sent, got);
        assertEquals(PeerMessage.Kind.values().length, got.stream().map(PeerMessage::kind).distinct().count());
        WireMessages.releaseAll(sent);
        WireMessages.releaseAll(got);
        wire.release();
        d.release();
    }

    @Test
    void shouldDecodeTheSameMessagesFromAnyChunking() {
        long seed = Long.getLong("shoal.seed", 10L);
        Random r = new Random(seed);
        for (int round = 0; round < 30; round++) {
            List<PeerMessage> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(WireMessages.random(r));
            }
            ByteBuf wire = WireMessages.encodeAll(sent);
            PeerWireDecoder d = WireMessages.decoder();
            List<PeerMessage> got = new ArrayList<>();
            while (wire.isReadable()) {
                int n = Math.min(wire.readableBytes(), r.nextBoolean() ? 1 + r.nextInt(7) : 1 + r.nextInt(9000));
                ByteBuf chunk = wire.readSlice(n);
                d.feed(chunk);
                got.addAll(WireMessages.drain(d));
            }
            assertNull(d.error(), "seed " + seed);
            assertEquals(sent, got, "seed " + seed + ", round " + round);
            WireMessages.releaseAll(sent);
            WireMessages.releaseAll(got);
            wire.release();
            d.release();
        }
    }

    @Test
    void shouldRejectOversizeAndMalformedMessages() {
        Object[][] table = {
            {frame(0x7FFFFFFF), PeerWireError.Reason.MESSAGE_TOO_LONG},
            {frame(2, 0, 0), PeerWireError.Reason.BAD_LENGTH},
            {frame(13, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 1), PeerWireError.Reason.BLOCK_TOO_LONG},
            {frame(13, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), PeerWireError.Reason.BLOCK_TOO_LONG},
            {frame(13, 6, 0, 0, 0, 1, 0xFF, 0, 0, 0, 0, 0, 0x40, 0), PeerWireError.Reason.BLOCK_TOO_LONG},
            {frame(5, 4, 0, 0, 0x03, 0xE9), PeerWireError.Reason.BAD_PIECE_INDEX},
            {frame(5, 4, 0xFF, 0xFF, 0xFF, 0xFF), PeerWireError.Reason.BAD_PIECE_INDEX},
            {frame(4, 4, 0, 0, 0), PeerWireError.Reason.BAD_LENGTH},
            {frame(3, 5, 0, 0), PeerWireError.Reason.BAD_BITFIELD},
            {bitfieldWithSpareBit(), PeerWireError.Reason.BAD_BITFIELD},
            {frame(9, 7, 0, 0, 0, 0, 0, 0, 0, 0), PeerWireError.Reason.BLOCK_TOO_LONG},
            {frame(8, 7, 0, 0, 0, 0, 0, 0, 0), PeerWireError.Reason.BAD_LENGTH},
            {frame(2, 9, 0), PeerWireError.Reason.BAD_LENGTH},
            {frame(1, 20), PeerWireError.Reason.BAD_LENGTH},
            {frame(4, 20, 0, 'l', 'e'), PeerWireError.Reason.BAD_EXTENDED},
            {frame(2, 0x0E, 0), PeerWireError.Reason.BAD_LENGTH},
        };
        for (Object[] row : table) {
            ByteBuf wire = (ByteBuf) row[0];
            PeerWireDecoder d = WireMessages.decoder();
            d.feed(wire);
            assertEquals(List.of(), WireMessages.drain(d));
            assertEquals(row[1], d.error() == null ? null : d.error().reason(), String.valueOf(d.error()));
            d.feed(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0}));
            assertNull(d.poll(), "the decoder stays stopped after an error");
            wire.release();
            d.release();
        }
    }

    @Test
    void shouldRejectBadHandshakesAndSkipUnknownIds() {
        PeerWireDecoder d = new PeerWireDecoder(PeerWireLimits.defaults(0), ByteBufAllocator.DEFAULT, true);
        d.feed(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertNull(d.pollHandshake());
        assertEquals(PeerWireError.Reason.BAD_HANDSHAKE, d.error().reason());
        d.release();
        PeerWireDecoder skip = WireMessages.decoder();
        ByteBuf wire = frame(3, 0x77, 1, 2, 0, 0, 0, 1, 1);
        skip.feed(wire);
        assertEquals(List.of(PeerMessage.Unchoke.INSTANCE), WireMessages.drain(skip));
        assertEquals(1, skip.ignoredMessages());
        wire.release();
        skip.release();
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        long seed = Long.getLong("shoal.seed", 11L);
        Random r = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            if (junk.length > 4 && r.nextBoolean()) {
                junk[0] = 0;
                junk[1] = 0;
                junk[2] = 0;
                junk[3] = (byte) (junk.length - 4);
            }
            PeerWireDecoder d = new PeerWireDecoder(PeerWireLimits.defaults(r.nextInt(3) * 40),
                ByteBufAllocator.DEFAULT, r.nextInt(4) == 0);
            d.feed(Unpooled.wrappedBuffer(junk));
            d.pollHandshake();
            List<PeerMessage> got = WireMessages.drain(d);
            WireMessages.releaseAll(got);
            d.release();
        }
    }

    @Test
    void shouldCarryRudpPortInTheExtensionHandshakeAndIgnoreOutOfRangeFields() throws Exception {
        ExtendedHandshake h = WireMessages.extendedHandshake();
        assertEquals(h, ExtendedHandshake.decode(h.encode()));
        ExtendedHandshake odd = ExtendedHandshake.decode(bytes(
            "d1:md6:ut_pexi1ee1:pi70000e4:reqqi-1e10:shoal_rudpi65535e6:yourip3:abce"));
        assertEquals(Map.of("ut_pex", 1), odd.extensions());
        assertEquals(0, odd.tcpPort());
        assertEquals(0, odd.requestQueue());
        assertEquals(65535, odd.rudpPort());
        assertNull(odd.yourIp());
        assertArrayEquals(new byte[0], new byte[0]);
        assertThrows(BencodeFieldException.class, () -> ExtendedHandshake.decode(bytes("d1:md1:xi256eee")));
        assertThrows(BencodeFieldException.class, () -> ExtendedHandshake.decode(bytes("d1:mi1ee")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A length prefix then raw bytes. */
    private static ByteBuf frame(long length, int... body) {
        ByteBuf b = Unpooled.buffer().writeInt((int) length);
        for (int x : body) {
            b.writeByte(x);
        }
        return b;
    }

    private static ByteBuf bitfieldWithSpareBit() {
        int bytes = (WireMessages.PIECES + 7) / 8;
        ByteBuf b = Unpooled.buffer().writeInt(1 + bytes).writeByte(5).writeZero(bytes - 1).writeByte(0x01);
        return b;
    }
}
