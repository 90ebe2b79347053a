package io.shoal.rudp.impair;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One direction of an impaired link, as its {@link LinkConfig} says, with its own random stream from a seed. It decides
 * each datagram's fate and arrival time and hands surviving copies to a {@link Sink}; it keeps no datagrams itself,
 * so the same model drives the virtual-time simulator ({@code io.shoal.rudp.sim.SimPair} in rudp's tests) and the
 * real-time netem proxy ({@code io.shoal.netem}).
 *
 * <p>The bottleneck is a virtual drop-tail FIFO: it remembers when its last accepted byte leaves, so its backlog is
 * {@code (busyUntil - now) * rate}; a datagram that does not fit under the limit is dropped, else it departs after
 * everything queued plus its own serialisation time ({@code bytes * 8 / rate}). Loss is applied on entry, as Linux
 * netem does, so lost datagrams do not use bottleneck capacity. Not thread-safe.
 */
public final class LinkModel {
    /** Receives the copies that survive, with their arrival time. */
    @FunctionalInterface
    public interface Sink {
        /** Takes ownership of {@code datagram}, which must arrive at {@code arrivalNs}. */
        void deliver(long arrivalNs, ByteBuf datagram);
    }

    private final LinkConfig config;
    private final SplittableRandom random;
    private final ByteBufAllocator allocator;
    private final List<LinkConfig.Blackout> blackouts;
    private final double nsPerByte;
    private boolean geBad;
    private long busyUntilNs;
    private boolean busy;

    private long offered;
    private long delivered;
    private long deliveredBytes;
    private long droppedLoss;
    private long droppedQueue;
    private long droppedBlackout;
    private long droppedMtu;
    private long droppedCorrupt;
    private long duplicated;
    private long corrupted;

    /**
     * A link with {@code config}'s impairments, its randomness from {@code seed}, duplicates allocated from
     * {@code allocator}.
     */
    public LinkModel(final LinkConfig config, final long seed, final ByteBufAllocator allocator) {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.allocator = allocator;
        this.blackouts = config.blackouts();
        this.nsPerByte = config.rateBitsPerSecond() > 0 ? 8e9 / config.rateBitsPerSecond() : 0.0;
    }

    public LinkConfig config() {
        return config;
    }

    /**
     * Sends {@code datagram} (its readable bytes) into the link at {@code nowNs}. Takes ownership: the datagram is
     * released if dropped, else passed to {@code sink}, possibly with its bits flipped in place, possibly with a copy.
     */
    public void transmit(final long nowNs, final ByteBuf datagram, final Sink sink) {
        offered++;
        final int length = datagram.readableBytes();
        if (config.mtuBytes() > 0 && length > config.mtuBytes()) {
            droppedMtu++;
            datagram.release();
            return;
        }
        if (inBlackout(nowNs)) {
            droppedBlackout++;
            datagram.release();
            return;
        }
        if (lost()) {
            droppedLoss++;
            datagram.release();
            return;
        }
        long departNs = nowNs;
        if (nsPerByte > 0) {
            final long startNs = busy && busyUntilNs - nowNs > 0 ? busyUntilNs : nowNs;
            final double backlogBytes = (startNs - nowNs) / nsPerByte;
            if (backlogBytes + length > config.queueLimitBytes()) {
                droppedQueue++;
                datagram.release();
                return;
            }
            departNs = startNs + (long) Math.ceil(length * nsPerByte);
            busyUntilNs = departNs;
            busy = true;
        }
        final boolean duplicate = config.duplicateRate() > 0 && random.nextDouble() < config.duplicateRate();
        ByteBuf copy = null;
        if (duplicate) {
            duplicated++;
            copy = allocator.heapBuffer(length, length);
            copy.writeBytes(datagram, datagram.readerIndex(), length);
        }
        emit(departNs, datagram, sink);
        if (copy != null) {
            emit(departNs, copy, sink);
        }
    }

    private void emit(final long departNs, final ByteBuf datagram, final Sink sink) {
        if (config.corruptRate() > 0 && random.nextDouble() < config.corruptRate()) {
            corrupted++;
            if (config.corruption() == LinkConfig.Corruption.DROP_AS_CHECKSUM) {
                droppedCorrupt++;
                datagram.release();
                return;
            }
            flipBits(datagram);
        }
        long arrivalNs = departNs + config.delayNs() + jitterNs();
        if (arrivalNs - departNs < 0) {
            arrivalNs = departNs; // jitter may reorder, never deliver before the datagram left
        }
        delivered++;
        deliveredBytes += datagram.readableBytes();
        sink.deliver(arrivalNs, datagram);
    }

    private void flipBits(final ByteBuf datagram) {
        final int length = datagram.readableBytes();
        if (length == 0) {
            return;
        }
        final int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            final int index = datagram.readerIndex() + random.nextInt(length);
            datagram.setByte(index, datagram.getByte(index) ^ (1 << random.nextInt(8)));
        }
    }

    private long jitterNs() {
        final long j = config.jitterNs();
        if (j == 0) {
            return 0;
        }
        if (config.jitter() == LinkConfig.Jitter.NORMAL) {
            return (long) (random.nextGaussian() * j);
        }
        return (long) ((random.nextDouble() * 2.0 - 1.0) * j);
    }

    private boolean lost() {
        if (config.lossRate() > 0 && random.nextDouble() < config.lossRate()) {
            return true;
        }
        if (!config.gilbertElliott()) {
            return false;
        }
        // One state transition per datagram, then a loss draw for the state it lands in.
        if (geBad) {
            if (random.nextDouble() < config.geBadToGood()) {
                geBad = false;
            }
        } else if (random.nextDouble() < config.geGoodToBad()) {
            geBad = true;
        }
        final double p = geBad ? config.geLossBad() : config.geLossGood();
        return p > 0 && random.nextDouble() < p;
    }

    private boolean inBlackout(final long nowNs) {
        for (int i = 0; i < blackouts.size(); i++) {
            if (blackouts.get(i).covers(nowNs)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes waiting in the bottleneck queue at {@code nowNs} (0 without a bottleneck). */
    public long queuedBytes(final long nowNs) {
        if (!busy || busyUntilNs - nowNs <= 0 || nsPerByte == 0) {
            return 0;
        }
        return (long) ((busyUntilNs - nowNs) / nsPerByte);
    }

    /** A snapshot of the counters. */
    public LinkStats stats() {
        return new LinkStats(offered, delivered, droppedLoss, droppedQueue, droppedBlackout, droppedMtu, droppedCorrupt,
            duplicated, corrupted, deliveredBytes);
    }
}
