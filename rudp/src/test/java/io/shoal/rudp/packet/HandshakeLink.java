package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.InetSocketAddress;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A seeded, lossy, duplicating, reordering link between one {@link SecureInitiator} and one
 * {@link SecureResponder} on a virtual clock, counting the bytes each way so tests can check amplification.
 */
final class HandshakeLink {
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.1", 50000);

    private record InFlight(long atNs, long seq, boolean toServer, byte[] bytes) {
    }

    private final PriorityQueue<InFlight> queue = new PriorityQueue<>((a, b) ->
            a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private final Random random;
    private final double loss;
    private final double duplication;
    private final long delayNs;
    private final long jitterNs;
    private final SecureInitiator initiator;
    private final SecureResponder responder;
    private long seq;
    private long nowNs;
    /** Bytes the responder was handed (after loss). */
    long serverBytesReceived;
    /** Bytes the responder wrote (before loss). */
    long serverBytesSent;

    HandshakeLink(final long seed, final double loss, final double duplication, final long delayNs,
                  final long jitterNs, final SecureInitiator initiator, final SecureResponder responder) {
        this.random = new Random(seed);
        this.loss = loss;
        this.duplication = duplication;
        this.delayNs = delayNs;
        this.jitterNs = jitterNs;
        this.initiator = initiator;
        this.responder = responder;
    }

    /** Starts the initiator and runs until both sides are idle or {@code untilNs}. */
    void run(final long untilNs) {
        final ByteBuf out = Unpooled.buffer();
        initiator.start(nowNs, out);
        send(true, out);
        while (nowNs < untilNs) {
            final InFlight next = queue.peek();
            final long timer = Math.min(initiator.nextDeadlineNs(), responder.nextDeadlineNs());
            final long at = Math.min(next == null ? Long.MAX_VALUE : next.atNs, timer);
            if (at == Long.MAX_VALUE || at > untilNs) {
                break;
            }
            nowNs = at;
            if (next != null && next.atNs == at) {
                queue.poll();
                deliver(next, out);
            } else {
                initiator.handleTimeout(nowNs, out);
                send(true, out);
                responder.handleTimeout(nowNs);
            }
        }
        out.release();
    }

    long nowNs() {
        return nowNs;
    }

    private void deliver(final InFlight p, final ByteBuf out) {
        final ByteBuf d = Unpooled.wrappedBuffer(p.bytes);
        if (p.toServer) {
            serverBytesReceived += p.bytes.length;
            final SecurePacketType type = SecurePacketType.of(d.getUnsignedByte(0));
            if (type == SecurePacketType.INITIATION) {
                responder.handleInitiation(d, CLIENT, nowNs, out);
            } else {
                responder.handleFinish(d, nowNs);
            }
            serverBytesSent += out.readableBytes();
            send(false, out);
        } else {
            initiator.handleDatagram(d, nowNs, out);
            send(true, out);
        }
    }

    private void send(final boolean toServer, final ByteBuf out) {
        if (!out.isReadable()) {
            return;
        }
        final byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.clear();
        if (random.nextDouble() < loss) {
            return;
        }
        final int copies = random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            final long jitter = jitterNs == 0 ? 0 : (long) (random.nextDouble() * jitterNs);
            queue.add(new InFlight(nowNs + delayNs + jitter, seq++, toServer, bytes));
        }
    }
}
