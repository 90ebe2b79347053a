package io.shoal.bench.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.session.SecureEndpoint;
import io.shoal.rudp.session.SessionEvent;
import io.shoal.rudp.session.Transmit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * Drives one {@link SecureEndpoint} on one non-blocking UDP socket from the calling thread, the plain way (a
 * selector, one datagram per receive call): enough for a benchmark of per-connection overhead, not a fast shell.
 * Events go to {@code onEvent}; readable data is drained and dropped.
 */
final class EndpointDriver implements AutoCloseable {
    private final SecureEndpoint endpoint;
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65_536);
    private final Consumer<SessionEvent> onEvent;
    /** Loop counters, for explaining a CPU figure: passes, passes that polled without waiting, datagrams read. */
    private long passes;
    private long spins;
    private long datagramsIn;

    EndpointDriver(final SecureEndpoint endpoint, final InetSocketAddress bind, final Consumer<SessionEvent> onEvent)
            throws IOException {
        this.endpoint = endpoint;
        this.onEvent = onEvent;
        this.channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(bind);
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    SecureEndpoint endpoint() {
        return endpoint;
    }

    /** Waits for input until {@code untilNs} or the endpoint's deadline, then handles input, timers and output. */
    void runOnce(final long untilNs) throws IOException {
        final long waitNs = Math.min(untilNs, endpoint.nextDeadlineNs()) - System.nanoTime();
        if (waitNs > 0) {
            // Rounded up to the selector's millisecond, as Netty's NIO loop rounds its timers: a deadline served up
            // to 1 ms late costs nothing (ACK ticks are 10 ms apart), while polling without waiting until a
            // sub-millisecond deadline made this loop spin whenever one of 10,000 connections owed an ACK tick
            // (always): the thread never slept, and its CPU figure was whatever share the scheduler left it.
            selector.select((waitNs + 999_999L) / 1_000_000L);
        } else {
            selector.selectNow();
            spins++;
        }
        passes++;
        selector.selectedKeys().clear();
        InetSocketAddress from;
        while ((from = (InetSocketAddress) channel.receive(receive.clear())) != null) {
            receive.flip();
            datagramsIn++;
            final ByteBuf datagram = Unpooled.wrappedBuffer(receive);
            endpoint.handleDatagram(System.nanoTime(), from, datagram);
        }
        final long nowNs = System.nanoTime();
        if (endpoint.nextDeadlineNs() - nowNs <= 0) {
            endpoint.handleTimeout(nowNs);
        }
        flush();
    }

    /** Sends every pending datagram and dispatches every event. */
    void flush() throws IOException {
        Transmit t;
        while ((t = endpoint.pollTransmit()) != null) {
            try {
                channel.send(t.datagram().nioBuffer(), t.destination()); // a full socket buffer drops, as UDP may
            } finally {
                t.datagram().release();
            }
        }
        SessionEvent e;
        while ((e = endpoint.pollEvent()) != null) {
            if (e instanceof SessionEvent.Readable r) {
                ByteBuf m;
                while ((m = r.connection().pollMessage()) != null) {
                    m.release();
                }
            } else if (e instanceof SessionEvent.Foreign f) {
                f.datagram().release();
            }
            onEvent.accept(e);
        }
    }

    /** @return {@code {passes, passes without a wait, datagrams read}} since the driver was made */
    long[] loopCounts() {
        return new long[] {passes, spins, datagramsIn};
    }

    /** Makes a {@link #runOnce} blocked in another thread return. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
        selector.close();
        channel.close();
    }
}
