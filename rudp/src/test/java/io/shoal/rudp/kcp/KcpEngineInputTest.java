package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is an error value and a counter, never an exception, and leaves the engine working. */
class KcpEngineInputTest {
    private static final int CONV = 0x01020304;
    private final KcpEngine engine = new KcpEngine(CONV, KcpConfig.turbo());

    @AfterEach
    void close() {
        engine.close();
    }

    private static ByteBuf segment(int conv, int cmd, int sn, int una, int declaredLen, int actualLen) {
        ByteBuf b = Unpooled.buffer();
        KcpSegmentCodec.encodeHeader(b, conv, cmd, 0, 128, 0, sn, una, declaredLen);
        b.writeZero(actualLen);
        return b;
    }

    private InputResult feed(ByteBuf b) {
        try {
            return engine.handleDatagram(0, b);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldReportTruncatedWhenShorterThanHeader() {
        assertEquals(InputResult.TRUNCATED, feed(Unpooled.wrappedBuffer(new byte[23])));
        assertEquals(1, engine.stats().malformedDatagrams());
    }

    @Test
    void shouldReportTruncatedWhenLenRunsPastDatagram() {
        assertEquals(InputResult.TRUNCATED, feed(segment(CONV, KcpSegmentCodec.CMD_PUSH, 0, 0, 100, 99)));
        assertEquals(-1, engine.peekSize());
    }

    @Test
    void shouldReportOversizedWhenLenIsImpossible() {
        assertEquals(InputResult.OVERSIZED, feed(segment(CONV, KcpSegmentCodec.CMD_PUSH, 0, 0, -1, 10)));
    }

    @Test
    void shouldReportUnknownCommand() {
        assertEquals(InputResult.UNKNOWN_COMMAND, feed(segment(CONV, 80, 0, 0, 0, 0)));
        assertEquals(InputResult.UNKNOWN_COMMAND, feed(segment(CONV, 85, 0, 0, 0, 0)));
    }

    @Test
    void shouldRejectWrongConversationWithoutCountingItMalformed() {
        assertEquals(InputResult.WRONG_CONV, feed(segment(CONV + 1, KcpSegmentCodec.CMD_PUSH, 0, 0, 0, 0)));
        assertEquals(0, engine.stats().malformedDatagrams());
    }

    @Test
    void shouldDropSegmentLargerThanOwnMssWithoutAcking() {
        engine.handleTimeout(0);
        assertEquals(InputResult.ACCEPTED, feed(segment(CONV, KcpSegmentCodec.CMD_PUSH, 0, 0, 1500, 1500)));
        engine.handleTimeout(20_000_000L);
        ByteBuf d;
        while ((d = engine.pollDatagram()) != null) {
            KcpSegmentCodec.Decoded decoded = KcpSegmentCodec.decodeAll(d);
            d.release();
            assertTrue(decoded.segments().stream().noneMatch(h -> h.cmd() == KcpSegmentCodec.CMD_ACK));
        }
        assertEquals(-1, engine.peekSize());
    }

    @Test
    void shouldSurviveTenThousandRandomDatagramsAndStillDeliver() {
        SplittableRandom rnd = new SplittableRandom(20261122L);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[rnd.nextInt(0, 1500)];
            rnd.nextBytes(junk);
            if (junk.length >= 5 && rnd.nextBoolean()) {
                // Right conv and a valid command, so the fuzzing reaches past the first checks.
                ByteBuf w = Unpooled.wrappedBuffer(junk);
                w.setIntLE(0, CONV);
                w.setByte(4, KcpSegmentCodec.CMD_PUSH + rnd.nextInt(4));
            }
            feed(Unpooled.wrappedBuffer(junk));
            engine.handleTimeout(i * 1_000_000L);
            ByteBuf d;
            while ((d = engine.pollDatagram()) != null) {
                d.release();
            }
            ByteBuf m;
            while ((m = engine.pollMessage()) != null) {
                m.release();
            }
        }
        assertTrue(engine.stats().malformedDatagrams() > 0);
        KcpEngine peer = new KcpEngine(CONV, KcpConfig.turbo());
        try {
            // A well-formed exchange still works afterwards (fresh peer: sn restarts at 0, which our engine has
            // possibly consumed, so only check that the engine still answers with ACKs).
            peer.handleTimeout(10_001_000_000L);
            peer.send(10_001_000_000L, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
            peer.handleTimeout(10_001_020_000_000L);
            ByteBuf out = peer.pollDatagram();
            assertNotNull(out);
            assertEquals(InputResult.ACCEPTED, engine.handleDatagram(10_001_020_000_000L, out));
            out.release();
        } finally {
            peer.close();
        }
    }

    @Test
    void shouldRefuseMessageOf128Fragments() {
        int mss = engine.config().mss();
        assertEquals(SendResult.TOO_LARGE, engine.send(0, Unpooled.wrappedBuffer(new byte[mss * 127 + 1])));
        assertEquals(SendResult.QUEUED, engine.send(0, Unpooled.wrappedBuffer(new byte[mss * 127])));
    }

    @Test
    void shouldDeclareLinkDeadAfterDeadLinkTransmissions() {
        KcpEngine lonely = new KcpEngine(CONV, KcpConfig.turbo().toBuilder().deadLink(5).build());
        try {
            lonely.send(0, Unpooled.wrappedBuffer(new byte[10]));
            KcpEvent event = null;
            for (long t = 0; t < 60_000 && event == null; t += 10) {
                lonely.handleTimeout(t * 1_000_000L);
                ByteBuf d;
                while ((d = lonely.pollDatagram()) != null) {
                    d.release();
                }
                event = lonely.pollEvent();
            }
            assertEquals(KcpEvent.LINK_DEAD, event);
            assertEquals(KcpState.DEAD, lonely.state());
            assertEquals(SendResult.CLOSED, lonely.send(0, Unpooled.wrappedBuffer(new byte[1])));
            assertNull(lonely.pollEvent());
        } finally {
            lonely.close();
        }
    }
}
