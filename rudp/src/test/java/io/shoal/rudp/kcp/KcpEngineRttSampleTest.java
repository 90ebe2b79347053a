package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Which ACKs give RTT samples: every one in KCP-classic mode (as ikcp_input), only held segments' otherwise. */
class KcpEngineRttSampleTest {
    private static final int CONV = 7;
    private static final long MS = 1_000_000L;

    private static void ack(KcpEngine engine, long nowNs, int sn, int ts, int una) {
        ByteBuf b = Unpooled.buffer();
        KcpSegmentCodec.encodeHeader(b, CONV, KcpSegmentCodec.CMD_ACK, 0, 128, ts, sn, una, 0);
        try {
            engine.handleDatagram(nowNs, b);
        } finally {
            b.release();
        }
    }

    /** Sends one segment at time 0, ACKs it (in order: una covers it) at 40 ms, then repeats that ACK at 400 ms. */
    private static int srttAfterRepeatedAck(KcpConfig config) {
        KcpEngine engine = new KcpEngine(CONV, config);
        try {
            engine.send(0, Unpooled.wrappedBuffer(new byte[100]));
            engine.handleTimeout(0);
            ByteBuf d;
            while ((d = engine.pollDatagram()) != null) {
                d.release();
            }
            engine.handleTimeout(40 * MS); // classic mode takes input against the update clock
            ack(engine, 40 * MS, 0, 0, 1);
            assertEquals(40, engine.stats().srttMs(), "an in-order ACK is a sample although its una removes it");
            engine.handleTimeout(400 * MS);
            ack(engine, 400 * MS, 0, 0, 1);
            return engine.stats().srttMs();
        } finally {
            engine.close();
        }
    }

    @Test
    void shouldIgnoreTheRttOfARepeatedAckWhenNotClassic() {
        assertEquals(40, srttAfterRepeatedAck(KcpConfig.turbo().toBuilder().ackNoDelay(true).build()));
    }

    @Test
    void shouldSampleEveryAckInClassicMode() {
        assertNotEquals(40, srttAfterRepeatedAck(KcpConfig.turbo()));
    }
}
