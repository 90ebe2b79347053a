package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.impair.LinkModel;
import io.shoal.rudp.impair.LinkStats;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One direction of a UDP proxy: the toxics of that stream as a chain of {@link LinkModel} stages, applied per
 * datagram in the order the toxics were added. A datagram enters stage 1 at its receive time; each stage's model
 * decides its fate and time and hands it on, so a latency stage before a bandwidth stage delays the datagram's entry
 * into the bottleneck, as Toxiproxy's chain does for chunks. Each stage applies to a datagram with probability
 * {@code toxicity} (per datagram, unlike TCP's per connection). What survives goes to the {@link DelayLine}, or out at
 * once when it is due.
 *
 * <p>Rebuilt from the chain's snapshot when its version changes; counters and {@code limit_data} byte counts carry
 * over. Event-loop only.
 */
final class DatagramPath {
    private static final int NOT_LIMIT = -1;

    private final ToxicChain chain;
    private final ToxicStream stream;
    private final long seed;
    private final ByteBufAllocator allocator;
    private final DelayLine delayLine;
    private final DelayLine.Output output;
    private final SplittableRandom random;
    private final Map<String, long[]> limitCounters = new HashMap<>();
    private long builtVersion = -1;
    private Stage[] stages = new Stage[0];
    private UdpSession current;

    private long offered;
    private long delivered;
    private long deliveredBytes;
    private long droppedLimit;
    private final long[] retired = new long[7]; // loss, queue, blackout, mtu, corrupt-drop, duplicated, corrupted

    DatagramPath(ToxicChain chain, ToxicStream stream, long seed, ByteBufAllocator allocator, DelayLine delayLine,
                 DelayLine.Output output) {
        this.chain = chain;
        this.stream = stream;
        this.seed = seed;
        this.allocator = allocator;
        this.delayLine = delayLine;
        this.output = output;
        this.random = new SplittableRandom(seed);
    }

    /** One toxic as a stage: a link model, a byte limit, or nothing (toxics with no datagram meaning). */
    private final class Stage implements LinkModel.Sink {
        final int index;
        final Toxic toxic;
        final LinkModel model;
        final double probability;
        final long limitBytes;
        final long[] limitCount;

        Stage(int index, Toxic toxic, LinkModel model, double probability, long limitBytes, long[] limitCount) {
            this.index = index;
            this.toxic = toxic;
            this.model = model;
            this.probability = probability;
            this.limitBytes = limitBytes;
            this.limitCount = limitCount;
        }

        @Override
        public void deliver(long arrivalNs, ByteBuf datagram) {
            enter(index + 1, arrivalNs, datagram);
        }
    }

    /** Sends {@code datagram} (ownership taken) received at {@code nowNs} from or to {@code session}. */
    void transmit(long nowNs, ByteBuf datagram, UdpSession session) {
        if (chain.version() != builtVersion) {
            rebuild();
        }
        offered++;
        if (delayLine.trace() != null) {
            delayLine.trace().read();
        }
        current = session;
        enter(0, nowNs, datagram);
        current = null;
    }

    private void enter(int from, long atNs, ByteBuf datagram) {
        for (int i = from; i < stages.length; i++) {
            Stage s = stages[i];
            if (s.probability < 1.0 && (s.probability <= 0.0 || random.nextDouble() >= s.probability)) {
                continue;
            }
            if (s.limitBytes != NOT_LIMIT) {
                // limit_data for datagrams: a blackhole once the stream has carried `bytes` bytes.
                if (s.limitCount[0] + datagram.readableBytes() > s.limitBytes) {
                    droppedLimit++;
                    datagram.release();
                    return;
                }
                s.limitCount[0] += datagram.readableBytes();
                continue;
            }
            if (s.model != null) {
                s.model.transmit(atNs, datagram, s);
                return;
            }
        }
        delivered++;
        deliveredBytes += datagram.readableBytes();
        boolean toUpstream = stream == ToxicStream.UPSTREAM;
        if (atNs - System.nanoTime() <= 0) {
            output.deliver(datagram, current, toUpstream, atNs);
        } else {
            delayLine.add(atNs, datagram, current, toUpstream);
        }
    }

    private void rebuild() {
        builtVersion = chain.version();
        for (Stage s : stages) {
            if (s.model != null) {
                retire(s.model.stats());
            }
        }
        Toxic[] toxics = chain.snapshot(stream);
        Stage[] next = new Stage[toxics.length];
        Map<String, long[]> keptCounters = new HashMap<>();
        for (int i = 0; i < toxics.length; i++) {
            Toxic t = toxics[i];
            long limit = NOT_LIMIT;
            long[] count = null;
            if (t.type() == ToxicType.LIMIT_DATA) {
                limit = t.nonNegative("bytes");
                count = limitCounters.getOrDefault(t.name(), new long[1]);
                keptCounters.put(t.name(), count);
            }
            LinkConfig config = DatagramToxics.linkConfig(t);
            // Each stage has its own stream, fixed by the proxy seed, the toxic's name and the rebuild count.
            long stageSeed = seed ^ (t.name().hashCode() * 0x9E3779B97F4A7C15L) ^ builtVersion;
            LinkModel model = config == null ? null : new LinkModel(config, stageSeed, allocator);
            next[i] = new Stage(i, t, model, DatagramToxics.probability(t), limit, count);
        }
        limitCounters.clear();
        limitCounters.putAll(keptCounters);
        stages = next;
    }

    private void retire(LinkStats s) {
        retired[0] += s.droppedLoss();
        retired[1] += s.droppedQueue();
        retired[2] += s.droppedBlackout();
        retired[3] += s.droppedMtu();
        retired[4] += s.droppedCorrupt();
        retired[5] += s.duplicated();
        retired[6] += s.corrupted();
    }

    /**
     * Counters of this direction since the proxy started: {@code offered} datagrams received, {@code delivered}
     * copies sent on; the drop counters sum the stages' models ({@code timeout} and {@code limit_data} blackholes
     * count as loss), queue overflow of the delay line is counted by the proxy.
     */
    LinkStats stats() {
        long[] sum = retired.clone();
        for (Stage s : stages) {
            if (s.model != null) {
                LinkStats m = s.model.stats();
                sum[0] += m.droppedLoss();
                sum[1] += m.droppedQueue();
                sum[2] += m.droppedBlackout();
                sum[3] += m.droppedMtu();
                sum[4] += m.droppedCorrupt();
                sum[5] += m.duplicated();
                sum[6] += m.corrupted();
            }
        }
        return new LinkStats(offered, delivered, sum[0] + droppedLimit, sum[1], sum[2], sum[3], sum[4], sum[5], sum[6],
            deliveredBytes);
    }
}
