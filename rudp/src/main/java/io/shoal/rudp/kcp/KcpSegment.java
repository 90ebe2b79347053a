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
    /**
     * The payload as a retained slice instead of a copy in {@link #data}: a sent segment's of the buffer the
     * application sent ({@link #fill}), a received one's of the decrypted datagram ({@link #share}); null when the
     * payload is in {@link #data}. Released with the segment ({@link #reset}) unless {@link #takeShared taken}.
     */
    private ByteBuf shared;

    KcpSegment(ByteBuf data) {
        this.data = data;
    }

    /** @return the payload's readable bytes: {@link #data}, or the shared slice while there is one */
    ByteBuf payload() {
        return shared != null ? shared : data;
    }

    int len() {
        return payload().readableBytes();
    }

    /**
     * Gives this empty segment the next {@code len} bytes of {@code src}: a full segment ({@code len == mss}) shares
     * them (a retained slice, so the application's bytes are copied once, into the datagram, not also in here), a
     * shorter one copies them into {@link #data}, since stream mode tops it up with the next send. So a shared
     * payload is never topped up.
     */
    void fill(ByteBuf src, int len, int mss) {
        if (len == mss) {
            shared = src.readRetainedSlice(len);
        } else {
            ByteCopy.transfer(src, len, data);
        }
    }

    /** Makes {@code slice} (taken over: this segment releases it) this empty segment's payload. */
    void share(ByteBuf slice) {
        shared = slice;
    }

    /** @return whether the payload is a shared slice rather than {@link #data} */
    boolean isShared() {
        return shared != null;
    }

    /** @return the shared payload, now the caller's to release; the segment no longer has one */
    ByteBuf takeShared() {
        ByteBuf s = shared;
        shared = null;
        return s;
    }

    private void releaseShared() {
        if (shared != null) {
            shared.release();
            shared = null;
        }
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
        releaseShared();
        data.clear();
    }
}
