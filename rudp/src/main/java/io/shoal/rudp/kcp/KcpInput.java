package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.cc.CongestionController;
import io.shoal.rudp.cc.RateSample;

/**
 * The input half of {@code ikcp_input}: walks the segments of one datagram, hands acknowledgements to the
 * {@link KcpSender} (cumulative {@code una}, per-segment ACKs, then the fast-ACK count), data to the
 * {@link KcpReceiver}, window fields to the {@link WindowProbe}, RTT samples to the estimator and the controller,
 * and ends with one {@link CongestionController#onAck} per datagram that acknowledged anything. Never throws on bad
 * input: a malformed datagram stops the walk, keeps what came before it (as {@code ikcp_input} does) and is counted.
 */
final class KcpInput {
    private static final long NS_PER_MS = 1_000_000L;

    private final int conv;
    private final KcpSender sender;
    private final KcpReceiver receiver;
    private final RtoEstimator rto;
    private final CongestionController cc;
    private final DeliveryRateSampler rates;
    private final WindowProbe window;
    private final RateSample emptySample = new RateSample();
    private final boolean heldAcksOnly;

    /** Datagrams dropped as truncated, oversized or with an unknown command. */
    long malformed;
    /** What the last {@link #process} did: {@code snd_una} moved; anything at all was acknowledged. */
    boolean advancedUna;
    boolean acknowledged;

    /**
     * @param heldAcksOnly take RTT samples only from ACKs of segments still in the send buffer (not KCP-classic)
     */
    KcpInput(int conv, KcpSender sender, KcpReceiver receiver, RtoEstimator rto, CongestionController cc,
             DeliveryRateSampler rates, WindowProbe window, boolean heldAcksOnly) {
        this.heldAcksOnly = heldAcksOnly;
        this.conv = conv;
        this.sender = sender;
        this.receiver = receiver;
        this.rto = rto;
        this.cc = cc;
        this.rates = rates;
        this.window = window;
        this.emptySample.reset();
    }

    /**
     * Processes one datagram (borrowed; indices untouched).
     *
     * @param currentMs the engine's KCP clock, against which {@code ikcp_input} takes RTO samples
     * @param nowNs the true time, for controllers and rate samples
     * @param share keep PUSH payloads as retained slices of {@code datagram} ({@link KcpEngine#handleSharedDatagram})
     */
    InputResult process(ByteBuf datagram, int currentMs, long nowNs, boolean share) {
        int nowMs = (int) Math.floorDiv(nowNs, NS_PER_MS);
        int prevUna = sender.una();
        int priorInflight = sender.bufferedCount();
        int ackedBytes = 0;
        boolean sawAck = false;
        int maxAck = 0;
        int latestTs = 0;
        int index = datagram.readerIndex();
        int end = datagram.writerIndex();
        InputResult result = end - index < KcpSegmentCodec.HEADER_LENGTH ? InputResult.TRUNCATED : InputResult.ACCEPTED;
        while (result == InputResult.ACCEPTED && end - index >= KcpSegmentCodec.HEADER_LENGTH) {
            if (KcpSegmentCodec.conv(datagram, index) != conv) {
                result = InputResult.WRONG_CONV;
                break;
            }
            result = KcpSegmentCodec.check(datagram, index, end - index);
            if (result != InputResult.ACCEPTED) {
                break;
            }
            int cmd = KcpSegmentCodec.cmd(datagram, index);
            int ts = KcpSegmentCodec.ts(datagram, index);
            int sn = KcpSegmentCodec.sn(datagram, index);
            int len = (int) KcpSegmentCodec.len(datagram, index);
            window.onRemoteWindow(KcpSegmentCodec.wnd(datagram, index));
            // ikcp_input samples the RTT from every ACK. Outside classic mode only from an ACK of a segment held when
            // this datagram arrived (a batch of ACKs shares one una, which removes them all at the first header): a
            // repeated ACK (KcpReceiver) travels one ACK batch late, which on a sparse flow is a whole message
            // interval, and would inflate the RTO.
            boolean heldBefore = cmd == KcpSegmentCodec.CMD_ACK && sender.holds(sn);
            if (heldBefore) {
                sender.onAckEcho(sn, ts, currentMs, nowNs); // before una can remove it: the echo is all we learn
            }
            ackedBytes += sender.ackBelow(KcpSegmentCodec.una(datagram, index), nowNs, currentMs);
            boolean sampleRtt = !heldAcksOnly || heldBefore || (sn - prevUna >= 0 && sn - sender.una() < 0);
            if (cmd == KcpSegmentCodec.CMD_ACK) {
                if (sampleRtt) {
                    if (currentMs - ts >= 0) {
                        rto.onSample(currentMs - ts);
                    }
                    if (nowMs - ts >= 0) {
                        cc.onRttSample(nowNs, (long) (nowMs - ts) * NS_PER_MS);
                    }
                }
                ackedBytes += Math.max(0, sender.ackOne(sn, ts, nowNs));
                if (!sawAck) {
                    sawAck = true;
                    maxAck = sn;
                    latestTs = ts;
                } else if (sn - maxAck > 0 && ts - latestTs > 0) { // IKCP_FASTACK_CONSERVE
                    maxAck = sn;
                    latestTs = ts;
                }
            } else if (cmd == KcpSegmentCodec.CMD_PUSH) {
                if (!receiver.onPush(datagram, index, sn, ts, len, share)) {
                    malformed++;
                }
            } else if (cmd == KcpSegmentCodec.CMD_WASK) {
                window.tell();
            }
            // CMD_WINS carries nothing beyond the window already taken from the header.
            index += KcpSegmentCodec.HEADER_LENGTH + len;
        }
        if (result != InputResult.ACCEPTED && result != InputResult.WRONG_CONV) {
            malformed++;
        }
        if (sawAck) {
            sender.countFastAcks(maxAck, latestTs);
        }
        advancedUna = sender.una() - prevUna > 0;
        if (advancedUna) {
            sender.onProgress(currentMs);
        }
        acknowledged = advancedUna || ackedBytes > 0;
        if (acknowledged) {
            RateSample sample = rates.takeSample();
            cc.onAck(nowNs, sender.una() - prevUna, ackedBytes, priorInflight, window.remoteWindow(),
                sample != null ? sample : emptySample);
        }
        return result;
    }
}
