package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * DATA that arrives for a connection whose handshake's last message (XX's FINISH) is still being computed on the
 * {@link HandshakeOffload}. The initiator is established once it has sent FINISH, and its first DATA follows in the
 * same flight, so without this those datagrams find no connection, are dropped, and the application's first bytes wait
 * for the initiator's first retransmission timeout (about 200 ms, measured on a peer dial over loopback). Copies are
 * parked, in arrival order, and replayed once the handshake's work is back; bounded per connection and in total
 * (beyond that a datagram is dropped as before), and released when the endpoint closes.
 *
 * <p>Confined to the endpoint's thread.
 */
final class EarlyDataParking {
    /** Handshakes whose early DATA may be parked at once. */
    static final int MAX_HANDSHAKES = 256;
    /** Datagrams parked per handshake: a first flight, not a window. */
    static final int MAX_PER_HANDSHAKE = 16;

    /** One parked datagram and where it came from (the replay takes the same path checks as a fresh one). */
    record Parked(InetSocketAddress from, ByteBuf datagram) {
    }

    private final Map<Long, ArrayDeque<Parked>> parked = new HashMap<>();

    /** Marks {@code localId} as a connection whose FINISH is being computed: its DATA may be parked. */
    void expect(final long localId) {
        if (parked.size() < MAX_HANDSHAKES) {
            parked.putIfAbsent(localId, new ArrayDeque<>(4));
        }
    }

    /**
     * Parks a copy of {@code datagram} (readable bytes; the caller keeps ownership of its buffer) when
     * {@code localId} is expected and has room; false otherwise, and the caller drops it as unroutable.
     */
    boolean park(final long localId, final InetSocketAddress from, final ByteBuf datagram,
                 final ByteBufAllocator alloc) {
        if (parked.isEmpty()) {
            return false; // the usual case, and a flood of unroutable garbage costs no map look-up
        }
        final ArrayDeque<Parked> q = parked.get(localId);
        if (q == null || q.size() >= MAX_PER_HANDSHAKE) {
            return false;
        }
        final int n = datagram.readableBytes();
        q.add(new Parked(from, alloc.buffer(n, n).writeBytes(datagram, datagram.readerIndex(), n)));
        return true;
    }

    /** Takes one replayed datagram; it must not keep {@code datagram}, which is released after the call. */
    @FunctionalInterface
    interface Replay {
        void accept(InetSocketAddress from, ByteBuf datagram);
    }

    /** Ends the wait for {@code localId}: hands its parked datagrams to {@code replay} in arrival order. */
    void replay(final long localId, final Replay replay) {
        final ArrayDeque<Parked> q = parked.remove(localId);
        if (q == null) {
            return;
        }
        Parked p;
        while ((p = q.poll()) != null) {
            try {
                replay.accept(p.from(), p.datagram());
            } finally {
                p.datagram().release();
            }
        }
    }

    /** Releases everything parked (the endpoint closes). */
    void releaseAll() {
        for (ArrayDeque<Parked> q : parked.values()) {
            for (Parked p : q) {
                p.datagram().release();
            }
        }
        parked.clear();
    }
}
