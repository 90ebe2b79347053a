package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatagramDemuxTest {

    @Test
    void shouldRecogniseSecurePackets() {
        for (int first = 0xE0; first <= 0xEF; first++) {
            final ByteBuf b = Unpooled.buffer().writeByte(first).writeZero(40);
            assertEquals(DatagramKind.SECURE, DatagramDemux.classify(b), Integer.toHexString(first));
        }
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(Unpooled.buffer().writeByte(0xE8).writeZero(3)));
    }

    @Test
    void shouldRecogniseBencodedDht() {
        final ByteBuf ping = Unpooled.copiedBuffer("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
                StandardCharsets.US_ASCII);
        assertEquals(DatagramKind.DHT, DatagramDemux.classify(ping));
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(Unpooled.copiedBuffer("d1:a", StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldRecogniseStunBindingRequestAndResponse() {
        final ByteBuf request = Unpooled.buffer().writeShort(0x0001).writeShort(0)
                .writeInt(DatagramDemux.STUN_MAGIC_COOKIE).writeZero(12);
        assertEquals(DatagramKind.STUN, DatagramDemux.classify(request));
        final ByteBuf response = Unpooled.buffer().writeShort(0x0101).writeShort(12)
                .writeInt(DatagramDemux.STUN_MAGIC_COOKIE).writeZero(12)
                .writeShort(0x0020).writeShort(8).writeZero(8);
        assertEquals(DatagramKind.STUN, DatagramDemux.classify(response));
        final ByteBuf badLength = Unpooled.buffer().writeShort(0x0101).writeShort(16)
                .writeInt(DatagramDemux.STUN_MAGIC_COOKIE).writeZero(24);
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(badLength));
    }

    @Test
    void shouldRecogniseTrackerResponsesAndConnectRequests() {
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(Unpooled.buffer()
                .writeLong(DatagramDemux.TRACKER_CONNECT_MAGIC).writeInt(0).writeInt(1234)));
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(Unpooled.buffer()
                .writeInt(0).writeInt(1234).writeLong(99)));
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(Unpooled.buffer()
                .writeInt(1).writeInt(1234).writeInt(1800).writeInt(3).writeInt(7).writeZero(6 * 10)));
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(Unpooled.buffer()
                .writeInt(2).writeInt(1234).writeZero(12)));
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(Unpooled.buffer()
                .writeInt(3).writeInt(1234).writeBytes("denied".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(Unpooled.buffer()
                .writeInt(1).writeInt(1234).writeInt(1800).writeZero(5)));
    }

    @Test
    void shouldPreferTrackerWhenItsTransactionIdLooksLikeTheStunCookie() {
        // A connect response is 16 bytes, a STUN message at least 20: the cookie alone does not decide.
        final ByteBuf connect = Unpooled.buffer().writeInt(0).writeInt(DatagramDemux.STUN_MAGIC_COOKIE).writeLong(5);
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(connect));
        // An announce response's interval field sits where STUN's length would be, and is never a match for it.
        final ByteBuf announce = Unpooled.buffer().writeInt(1).writeInt(DatagramDemux.STUN_MAGIC_COOKIE)
                .writeInt(1800).writeInt(0).writeInt(0).writeZero(6);
        assertEquals(DatagramKind.UDP_TRACKER, DatagramDemux.classify(announce));
    }

    @Test
    void shouldNeverThrowAndLeaveIndexesAloneOnGarbage() {
        final Random random = new Random(2024);
        for (int i = 0; i < 20_000; i++) {
            final byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            final ByteBuf b = Unpooled.wrappedBuffer(junk);
            DatagramDemux.classify(b);
            assertEquals(0, b.readerIndex());
        }
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(Unpooled.EMPTY_BUFFER));
        assertEquals(DatagramKind.UNKNOWN, DatagramDemux.classify(Unpooled.buffer().writeByte(0x80).writeZero(30)));
    }
}
