package io.shoal.rudp.cc;

import java.util.ArrayDeque;
import java.util.Random;

/**
 * A packet-level model of one bulk flow through a single bottleneck, on virtual time, to exercise a controller as
 * the engine would: the sender keeps {@code inflight < cwndSegments()} and paces with a {@link Pacer} at
 * {@code pacingRateBytesPerSecond()}; each segment is lost at random (seeded) before the bottleneck or tail-dropped
 * when the bottleneck queue is full; the bottleneck serves FIFO at a fixed rate; every delivered segment is
 * acknowledged after the base RTT. Delivery-rate samples follow draft-cheng-iccrg-delivery-rate-estimation. Because
 * the path is FIFO, a segment is declared lost (fast retransmit) when any later segment is acknowledged; if nothing
 * is left to acknowledge, a retransmission timeout declares everything in flight lost.
 *
 * <p>Test code: allocation per packet is fine here.
 */
final class PathSimulator {
    /** What a run measured after its warm-up. */
    record Result(double goodputBytesPerSecond, double meanPacingBytesPerSecond, double meanRttMs, long lostSegments,
                  long timeouts) {
        @Override
        public String toString() {
            return String.format("goodput %.0f B/s, mean pacing %.0f B/s, mean RTT %.1f ms, lost %d, timeouts %d",
                    goodputBytesPerSecond, meanPacingBytesPerSecond, meanRttMs, lostSegments, timeouts);
        }
    }

    private static final class Segment {
        long sentNs;
        long deliveredAtSend;
        long deliveredNsAtSend;
        long firstSentNsAtSend;
        long ackNs;
    }

    private final int mss;
    private final long bottleneckBytesPerSecond;
    private final long baseRttNs;
    private final long queueLimitBytes;
    private final double lossRate;
    private final Random random;

    PathSimulator(int mss, long bottleneckBytesPerSecond, long baseRttNs, long queueLimitBytes, double lossRate,
                  long seed) {
        this.mss = mss;
        this.bottleneckBytesPerSecond = bottleneckBytesPerSecond;
        this.baseRttNs = baseRttNs;
        this.queueLimitBytes = queueLimitBytes;
        this.lossRate = lossRate;
        this.random = new Random(seed);
    }

    Result run(CongestionController cc, long durationNs, long warmupNs) {
        ArrayDeque<Segment> outstanding = new ArrayDeque<>(); // every segment in flight, in send order
        ArrayDeque<Segment> arriving = new ArrayDeque<>(); // those that will be acknowledged, in ack order
        RateSample sample = new RateSample();
        Pacer pacer = new Pacer(16L * mss);
        long rtoNs = Math.max(4 * baseRttNs, 200_000_000L);
        long nowNs = 0;
        long delivered = 0;
        long deliveredNs = 0;
        long firstSentNs = 0;
        long bottleneckFreeNs = 0;
        long lastProgressNs = 0;
        int pendingRetransmits = 0;
        long measuredBytes = 0;
        double pacedIntegral = 0;
        double rttSumNs = 0;
        long rttCount = 0;
        long lost = 0;
        long timeouts = 0;

        while (nowNs < durationNs) {
            // Acknowledgements due now.
            while (!arriving.isEmpty() && arriving.peekFirst().ackNs <= nowNs) {
                Segment acked = arriving.pollFirst();
                int priorInflight = outstanding.size();
                int lostNow = 0;
                while (outstanding.peekFirst() != acked) {
                    outstanding.pollFirst();
                    lostNow++;
                }
                outstanding.pollFirst();
                delivered += mss;
                deliveredNs = nowNs;
                lastProgressNs = nowNs;
                sample.reset();
                sample.deliveredBytes = delivered - acked.deliveredAtSend;
                sample.intervalNs = Math.max(acked.sentNs - acked.firstSentNsAtSend,
                        deliveredNs - acked.deliveredNsAtSend);
                sample.rttNs = nowNs - acked.sentNs;
                sample.totalDeliveredBytes = delivered;
                sample.lostSegments = lostNow;
                firstSentNs = acked.sentNs;
                cc.onRttSample(nowNs, sample.rttNs);
                cc.onAck(nowNs, 1, mss, priorInflight, 1 << 20, sample);
                if (lostNow > 0) {
                    lost += lostNow;
                    pendingRetransmits += lostNow;
                    cc.onFastRetransmit(nowNs, lostNow, outstanding.size());
                }
                if (nowNs >= warmupNs) {
                    measuredBytes += mss;
                    rttSumNs += sample.rttNs;
                    rttCount++;
                }
            }
            if (!outstanding.isEmpty() && arriving.isEmpty() && nowNs - lastProgressNs >= rtoNs) {
                lost += outstanding.size();
                pendingRetransmits += outstanding.size();
                outstanding.clear();
                timeouts++;
                lastProgressNs = nowNs;
                cc.onRetransmitTimeout(nowNs, 0);
            }
            // Sends allowed now.
            long rate = cc.pacingRateBytesPerSecond();
            while (outstanding.size() < cc.cwndSegments() && pacer.tryConsume(nowNs, mss, rate)) {
                if (outstanding.isEmpty()) {
                    firstSentNs = nowNs;
                    deliveredNs = nowNs;
                    lastProgressNs = nowNs;
                }
                Segment seg = new Segment();
                seg.sentNs = nowNs;
                seg.deliveredAtSend = delivered;
                seg.deliveredNsAtSend = deliveredNs;
                seg.firstSentNsAtSend = firstSentNs;
                outstanding.addLast(seg);
                boolean retransmit = pendingRetransmits > 0;
                if (retransmit) {
                    pendingRetransmits--;
                }
                cc.onSent(nowNs, mss, outstanding.size(), retransmit);
                long queuedBytes = Math.max(0, bottleneckFreeNs - nowNs) * bottleneckBytesPerSecond / 1_000_000_000L;
                if (random.nextDouble() >= lossRate && queuedBytes + mss <= queueLimitBytes) {
                    bottleneckFreeNs = Math.max(nowNs, bottleneckFreeNs) + mss * 1_000_000_000L / bottleneckBytesPerSecond;
                    seg.ackNs = bottleneckFreeNs + baseRttNs;
                    arriving.addLast(seg);
                }
                rate = cc.pacingRateBytesPerSecond();
            }
            // Advance to the next event.
            long nextNs = arriving.isEmpty() ? nowNs + rtoNs : arriving.peekFirst().ackNs;
            if (!outstanding.isEmpty() && arriving.isEmpty()) {
                nextNs = Math.min(nextNs, lastProgressNs + rtoNs);
            }
            if (outstanding.size() < cc.cwndSegments()) {
                nextNs = Math.min(nextNs, pacer.nextSendTimeNs(nowNs, rate));
            }
            nextNs = Math.max(nextNs, nowNs + 1);
            if (nowNs >= warmupNs) {
                pacedIntegral += (double) rate * (Math.min(nextNs, durationNs) - nowNs) / 1e9;
            }
            nowNs = nextNs;
        }
        double seconds = (durationNs - warmupNs) / 1e9;
        return new Result(measuredBytes / seconds, pacedIntegral / seconds,
                rttCount == 0 ? 0 : rttSumNs / rttCount / 1e6, lost, timeouts);
    }
}
