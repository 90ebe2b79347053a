package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format round-trips, and the strict whole-datagram check refuses what a server must not adopt. */
class KcpSegmentCodecTest {

    private static void push(ByteBuf b, int conv, int sn, int len) {
        KcpSegmentCodec.encodeHeader(b, conv, KcpSegmentCodec.CMD_PUSH, 0, 128, 7, sn, 0, len);
        b.writeZero(len);
    }

    @Test
    void shouldDecodeEveryFieldLittleEndian() {
        ByteBuf b = Unpooled.buffer();
        try {
            KcpSegmentCodec.encodeHeader(b, 0x11223344, KcpSegmentCodec.CMD_ACK, 3, 0x1234, 100, 5, 6, 0);
            assertEquals(0x44, b.getUnsignedByte(0));
            KcpSegmentCodec.Header h = KcpSegmentCodec.decodeAll(b).segments().get(0);
            assertEquals(new KcpSegmentCodec.Header(0x11223344, 82, 3, 0x1234, 100, 5, 6, 0), h);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldAcceptWellFormedDatagramOfSeveralSegments() {
        ByteBuf b = Unpooled.buffer();
        try {
            push(b, 9, 0, 100);
            push(b, 9, 1, 0);
            assertTrue(KcpSegmentCodec.isWellFormed(b, 1376));
            assertEquals(2, KcpSegmentCodec.decodeAll(b).segments().size());
        } finally {
            b.release();
        }
    }

    @Test
    void shouldRefuseMixedConvTrailingBytesAndOversizedPayload() {
        ByteBuf mixed = Unpooled.buffer();
        ByteBuf tail = Unpooled.buffer();
        ByteBuf big = Unpooled.buffer();
        try {
            push(mixed, 9, 0, 10);
            push(mixed, 10, 1, 10);
            assertFalse(KcpSegmentCodec.isWellFormed(mixed, 1376));
            push(tail, 9, 0, 10);
            tail.writeZero(5);
            assertFalse(KcpSegmentCodec.isWellFormed(tail, 1376));
            push(big, 9, 0, 200);
            assertFalse(KcpSegmentCodec.isWellFormed(big, 100));
            assertTrue(KcpSegmentCodec.isWellFormed(big, 200));
        } finally {
            mixed.release();
            tail.release();
            big.release();
        }
    }
}
