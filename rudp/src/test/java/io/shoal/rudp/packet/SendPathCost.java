package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a measurement run by hand ({@code rudp/README.md}, "Sixth stop"). The bulk sender's own work per data
 * datagram in thread CPU time, without sockets, both ends in this thread: perf's 64 KiB read-only payload sliced into
 * the engine as {@code shoal perf} writes it (stream mode, turbo, cc kcp, 2048-segment windows, ACKs at once, flush on
 * ACK), each datagram sealed as DATA into one direct 65,000-byte run as the secure codec does (then recycled), or
 * copied into the run as the raw writer does, and the receiver's ACKs opened and handed to the sender. Only the
 * sender's side is timed. Args: {@code secure|raw [seconds per round] [rounds]}; an 8 s warm-up round first.
 */
public final class SendPathCost {
    private static final int MTU = 1400;
    private static final int ROOM = 1500;
    /** What a secure connection negotiates by default on this machine. */
    private static final NoiseCipher CIPHER = CipherSuite.AUTO.resolve();

    private final boolean secure;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final KcpEngine tx;
    private final KcpEngine rx;
    private final PacketProtection txKeys;
    private final PacketProtection rxKeys;
    private final ByteBuf payload;
    private final ByteBuf run = alloc.directBuffer(65_000);
    private final ByteBuf plain = alloc.heapBuffer(2 * MTU);
    private final ByteBuf sink = alloc.heapBuffer(1 << 20);
    private final List<ByteBuf> wire = new ArrayList<>();
    private final List<ByteBuf> acks = new ArrayList<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long nowNs = 1_000_000_000L;

    private SendPathCost(final boolean secure) {
        this.secure = secure;
        final KcpConfig config = KcpConfig.builder().mode("turbo").congestionControl(CongestionControl.KCP)
                .stream(true).mtu(secure ? MTU - PacketProtection.OVERHEAD_BYTES : MTU).windows(2048, 2048)
                .ackNoDelay(true).flushOnAck(true).heapDatagrams(secure).allocator(alloc).build();
        tx = new KcpEngine(1, config);
        rx = new KcpEngine(1, config);
        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        k2[0] = 1;
        txKeys = new PacketProtection(CIPHER, k1, k2, 10, 20, PacketProtectionConfig.defaults());
        rxKeys = new PacketProtection(CIPHER, k2, k1, 20, 10, PacketProtectionConfig.defaults());
        final byte[] bytes = new byte[64 * 1024];
        new Random(1).nextBytes(bytes);
        payload = alloc.directBuffer(bytes.length).writeBytes(bytes).asReadOnly();
        tx.handleTimeout(nowNs);
        rx.handleTimeout(nowNs);
    }

    /** Prints one line per round: sender CPU ns per datagram and per payload byte. */
    public static void main(final String[] args) {
        final boolean secure = "secure".equals(args[0]);
        final long seconds = args.length > 1 ? Long.parseLong(args[1]) : 4;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        final SendPathCost cost = new SendPathCost(secure);
        cost.round(8);
        for (int round = 0; round < rounds; round++) {
            final long[] r = cost.round(seconds);
            System.out.printf("%s round %d: sender %.0f ns per datagram (%d datagrams, %.0f B each), %.3f ns/B%n",
                    args[0], round, (double) r[0] / r[1], r[1], (double) r[2] / r[1], (double) r[0] / r[2]);
        }
    }

    /** @return sender CPU ns, datagrams, datagram bytes over {@code seconds} of wall time */
    private long[] round(final long seconds) {
        long cpuNs = 0;
        long datagrams = 0;
        long bytes = 0;
        final long endNs = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < endNs) {
            nowNs += 50_000;
            final long t0 = threads.getCurrentThreadCpuTime();
            while (tx.isWritable()) {
                tx.send(nowNs, payload.retainedSlice());
            }
            tx.handleTimeout(nowNs);
            ByteBuf d;
            while ((d = tx.pollDatagram()) != null) {
                datagrams++;
                bytes += d.readableBytes();
                if (run.writableBytes() < ROOM) {
                    run.clear();
                }
                final int start = run.writerIndex();
                if (secure) {
                    txKeys.seal(SecurePacketType.DATA, d, run);
                    tx.recycleDatagram(d);
                } else {
                    run.writeBytes(d);
                    d.release();
                }
                wire.add(run.retainedSlice(start, run.writerIndex() - start));
            }
            cpuNs += threads.getCurrentThreadCpuTime() - t0;
            receive();
            final long t1 = threads.getCurrentThreadCpuTime();
            for (final ByteBuf ack : acks) {
                tx.handleDatagram(nowNs, open(txKeys, ack));
                ack.release();
            }
            acks.clear();
            cpuNs += threads.getCurrentThreadCpuTime() - t1;
        }
        return new long[] {cpuNs, datagrams, bytes};
    }

    /** The receiver's side (not timed): takes the wire, reads the stream, queues its ACK datagrams. */
    private void receive() {
        for (final ByteBuf w : wire) {
            rx.handleDatagram(nowNs, open(rxKeys, w));
            w.release();
        }
        wire.clear();
        do {
            sink.clear();
        } while (rx.receive(sink) > 0);
        rx.handleTimeout(nowNs);
        ByteBuf d;
        while ((d = rx.pollDatagram()) != null) {
            if (secure) {
                final ByteBuf sealed = alloc.directBuffer(ROOM);
                rxKeys.seal(SecurePacketType.DATA, d, sealed);
                d.release();
                acks.add(sealed);
            } else {
                acks.add(d);
            }
        }
    }

    /** The datagram's plaintext: opened into the scratch buffer (secure), or the datagram itself (raw). */
    private ByteBuf open(final PacketProtection keys, final ByteBuf datagram) {
        if (!secure) {
            return datagram;
        }
        plain.clear();
        keys.open(datagram, plain, nowNs);
        return plain;
    }
}
