package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * Where {@link SecureEndpoint#drainTransmits} puts each outgoing datagram, in order; a socket shell writes it to its
 * channel. Unlike {@link SecureEndpoint#pollTransmit()} nothing is allocated per datagram besides the datagram, and
 * with {@link #sendWritten} not even that when the shell can take the datagram straight into a buffer it already
 * holds (a run of {@code UDP_SEGMENT} datagrams).
 */
@FunctionalInterface
public interface DatagramSink {
    /** Takes ownership of {@code datagram} (release it, or hand it to a channel that will), bound for {@code to}. */
    void send(ByteBuf datagram, InetSocketAddress to);

    /**
     * Sends a datagram of exactly {@code bytes} bytes bound for {@code to} that {@code writer} writes in place: it is
     * given a buffer with at least {@code bytes} writable bytes, appends exactly {@code bytes} and returns true, or
     * appends nothing and returns false (then nothing is sent). The buffer stays the sink's. This default gives the
     * writer a new direct buffer from {@code alloc} and {@link #send}s it; a shell overrides it to let the writer
     * seal straight into the buffer the datagram leaves from.
     *
     * @return whether a datagram was sent
     */
    default boolean sendWritten(final int bytes, final InetSocketAddress to, final Predicate<ByteBuf> writer,
                                final ByteBufAllocator alloc) {
        final ByteBuf datagram = alloc.directBuffer(bytes);
        if (!writer.test(datagram)) {
            datagram.release();
            return false;
        }
        send(datagram, to);
        return true;
    }
}
