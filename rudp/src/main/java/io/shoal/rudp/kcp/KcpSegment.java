package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;

/**
 * One KCP segment held by an engine ({@code IKCPSEG}): header fields, retransmission state, delivery-rate state and
 * its payload. Mutable and recycled through {@link SegmentPool}, so a segment costs no allocation once warmed up.
 */
final class KcpSegment {
    int frg;
    int wnd;
    int ts;
    int sn;
    int una;
    /** Absolute ms (engine clock) at which the segment is resent if still unacknowledged. */
    int resendTs;
    int rto;
    int fastAck;
    int xmit;
    /** The latest retransmission was on timeout (not fast): its spurious detection undoes the RTO response. */
    boolean rtoResent;

    /** Delivery-rate state at the last transmission (draft-cheng-iccrg-delivery-rate-estimation, section 3.2). */
    long sentNs;
    long deliveredAtSend;
    long deliveredNsAtSend;
    long firstSentNsAtSend;
    boolean appLimitedAtSend;

    /** Payload; capacity is the engine's mss. Owned by the segment for its whole life. */
    final ByteBuf data;

    KcpSegment(ByteBuf data) {
        this.data = data;
    }

    int len() {
        return data.readableBytes();
    }

    void reset() {
        frg = 0;
        wnd = 0;
        ts = 0;
        sn = 0;
        una = 0;
        resendTs = 0;
        rto = 0;
        fastAck = 0;
        xmit = 0;
        rtoResent = false;
        sentNs = 0;
        deliveredAtSend = 0;
        deliveredNsAtSend = 0;
        firstSentNsAtSend = 0;
        appLimitedAtSend = false;
        data.clear();
    }
}
