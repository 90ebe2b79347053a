package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.packet.SecureResponder;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One {@link SecureEndpoint}'s counters: datagrams and bytes in and out, handshakes, cookies, foreign datagrams, and
 * drops by {@link DropReason} (a plain array, so counting a drop allocates nothing). {@link #stats} snapshots them.
 * One thread only.
 */
final class EndpointCounters {
    private final long[] drops = new long[DropReason.values().length];
    private final CountingSink counting = new CountingSink();
    private long datagramsIn;
    private long datagramsOut;
    private long bytesIn;
    private long bytesOut;
    private long handshakesCompleted;
    private long cookiesSent;
    private long foreign;

    void received(final ByteBuf datagram) {
        datagramsIn++;
        bytesIn += datagram.readableBytes();
    }

    void sent(final ByteBuf datagram) {
        datagramsOut++;
        bytesOut += datagram.readableBytes();
    }

    void drop(final DropReason reason) {
        drops[reason.ordinal()]++;
    }

    void foreign() {
        foreign++;
    }

    void handshakeCompleted() {
        handshakesCompleted++;
    }

    /** Counts what the responder did with a handshake packet: a cookie sent, or a drop when it was refused. */
    void count(final SecureResponder.Result result) {
        if (result == SecureResponder.Result.COOKIE_SENT) {
            cookiesSent++;
        } else if (result != SecureResponder.Result.RESPONDED && result != SecureResponder.Result.RESENT_RESPONSE
                && result != SecureResponder.Result.ESTABLISHED) {
            drop(result == SecureResponder.Result.DROPPED_IN_PROGRESS ? DropReason.HANDSHAKE_IN_PROGRESS
                    : result == SecureResponder.Result.DROPPED_CIPHER_REFUSED ? DropReason.CIPHER_REFUSED
                    : result == SecureResponder.Result.DROPPED_DOWNGRADE ? DropReason.DOWNGRADE_REFUSED
                    : DropReason.HANDSHAKE_REFUSED);
        }
    }

    long datagramsOut() {
        return datagramsOut;
    }

    /**
     * @return a sink that counts each datagram as sent and hands it to {@code target} (null detaches it); one per
     *     endpoint, so draining allocates nothing
     */
    DatagramSink countingTo(final DatagramSink target) {
        counting.target = target;
        return counting;
    }

    /** @return the snapshot, with the endpoint's {@code connections} and {@code halfOpen} handshakes held now */
    EndpointStats stats(final int connections, final int halfOpen) {
        final Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            byReason.put(r, drops[r.ordinal()]);
        }
        return new EndpointStats(datagramsIn, datagramsOut, bytesIn, bytesOut, handshakesCompleted, cookiesSent,
                foreign, connections, halfOpen, byReason);
    }

    private final class CountingSink implements DatagramSink {
        private DatagramSink target;

        @Override
        public void send(final ByteBuf datagram, final InetSocketAddress to) {
            sent(datagram);
            target.send(datagram, to);
        }

        @Override
        public boolean sendWritten(final int bytes, final InetSocketAddress to, final Predicate<ByteBuf> writer,
                                   final ByteBufAllocator alloc) {
            if (!target.sendWritten(bytes, to, writer, alloc)) {
                return false;
            }
            datagramsOut++;
            bytesOut += bytes;
            return true;
        }
    }
}
