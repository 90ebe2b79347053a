package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link KcpClassicController} against values worked out by hand from {@code ikcp_input} and {@code ikcp_flush}. */
class KcpClassicControllerTest {
    private static final int MSS = 1000;
    private static final int RESEND = 2;
    private static final int REMOTE_WINDOW = 128;
    private final RateSample sample = new RateSample();
    private final KcpClassicController cc = new KcpClassicController(new CcParams(MSS, RESEND, 100_000_000L, 128));

    private void flush() {
        cc.onFlushStart(0);
        cc.onFlushEnd(0);
    }

    private void ack() {
        cc.onAck(0, 1, MSS, cc.cwndSegments(), REMOTE_WINDOW, sample);
    }

    @Test
    void shouldStartAtZeroAndBecomeOneAfterTheFirstFlush() {
        assertEquals(0, cc.cwndSegments());
        flush();
        assertEquals(1, cc.cwndSegments());
        assertEquals(2, cc.ssthresh());
        assertEquals(0, cc.pacingRateBytesPerSecond());
    }

    @Test
    void shouldAddOneSegmentPerAckCallInSlowStartThenFollowTheIncrFormula() {
        flush(); // cwnd 1, incr = mss
        ack(); // slow start: cwnd 2, incr 2000
        assertEquals(2, cc.cwndSegments());
        ack(); // incr = 2000 + 1e6/2000 + 1000/16 = 2562; 3*1000 > 2562, cwnd stays 2
        assertEquals(2, cc.cwndSegments());
        ack(); // incr = 2562 + 390 + 62 = 3014; 3000 <= 3014, cwnd = ceil(3014/1000) = 4
        assertEquals(4, cc.cwndSegments());
        ack(); // incr = 3014 + 331 + 62 = 3407; 5000 > 3407, cwnd stays 4
        assertEquals(4, cc.cwndSegments());
    }

    @Test
    void shouldCountOneGrowthStepPerAckCallWhateverTheNumberOfSegmentsAcked() {
        flush();
        cc.onAck(0, 50, 50 * MSS, 1, REMOTE_WINDOW, sample);
        assertEquals(2, cc.cwndSegments());
    }

    @Test
    void shouldStopGrowingAtTheRemoteWindow() {
        flush();
        cc.onFastRetransmit(0, 1, 64); // cwnd 34
        cc.onFlushStart(0);
        cc.onRetransmitTimeout(0, 64); // ssthresh 17, cwnd 1: slow start with room to grow
        cc.onFlushEnd(0);
        for (int i = 0; i < 10; i++) {
            cc.onAck(0, 1, MSS, cc.cwndSegments(), 5, sample);
        }
        assertEquals(5, cc.cwndSegments());
        cc.onAck(0, 1, MSS, 5, 3, sample);
        assertEquals(5, cc.cwndSegments(), "ikcp_input only returns early when cwnd >= rmt_wnd; it never shrinks");
    }

    @Test
    void shouldSetSsthreshToHalfTheInflightPlusResendOnFastRetransmit() {
        flush();
        cc.onFastRetransmit(0, 1, 20);
        assertEquals(10, cc.ssthresh());
        assertEquals(10 + RESEND, cc.cwndSegments());
        cc.onFastRetransmit(0, 1, 3);
        assertEquals(2, cc.ssthresh(), "IKCP_THRESH_MIN");
        assertEquals(2 + RESEND, cc.cwndSegments());
    }

    @Test
    void shouldHalveThePriorWindowAndDropToOneOnTimeout() {
        flush();
        cc.onFastRetransmit(0, 1, 24); // cwnd 14
        cc.onFlushStart(0); // prior_cwnd = 14
        cc.onRetransmitTimeout(0, 30);
        cc.onFlushEnd(0);
        assertEquals(7, cc.ssthresh());
        assertEquals(1, cc.cwndSegments());
        for (int i = 2; i <= 7; i++) {
            ack();
            assertEquals(i, cc.cwndSegments(), "slow start again up to ssthresh");
        }
        ack();
        assertEquals(7, cc.cwndSegments(), "congestion avoidance grows by less than a segment per ack");
    }
}
