package io.shoal.rudp.netty.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.shoal.rudp.netty.BatchedFlusher;
import io.shoal.rudp.netty.SegmentedDatagramWriter;
import io.shoal.rudp.session.CloseReason;
import io.shoal.rudp.session.DatagramSink;
import io.shoal.rudp.packet.ResponderHandshake;
import io.shoal.rudp.session.EndpointStats;
import io.shoal.rudp.session.HandshakeWorkers;
import io.shoal.rudp.session.RudpConfig;
import io.shoal.rudp.session.SecureConnection;
import io.shoal.rudp.session.SecureEndpoint;
import io.shoal.rudp.session.SessionEvent;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The secure-profile codec for one {@code DatagramChannel} (any transport: NIO, epoll): it owns a
 * {@link SecureEndpoint} and every connection of the socket, and gives each connection a child {@link RudpChannel}
 * with its own pipeline, registered on the socket's event loop (Netty QUIC codec style). Accepted connections get
 * {@code childHandler}; {@link #connect} starts outgoing ones.
 *
 * <p>Reads: every inbound {@link DatagramPacket} is released here; DHT, STUN and tracker datagrams that share the
 * socket continue down the parent pipeline as new {@code DatagramPacket}s (the next handler owns them); the session
 * layer counts and drops everything else it rejects ({@link #stats()}). Work is driven once per read batch
 * ({@code channelReadComplete}), per timer run, and after each child operation: events, then datagrams, then one
 * timer task re-armed only when the endpoint's earliest deadline moves earlier.
 *
 * <p>I/O is the raw shell's: on epoll ({@code RudpServer}/{@code RudpClient} on an epoll event loop group) reads come
 * in {@code recvmmsg} batches (not {@code UDP_GRO}: see {@link RudpServer#bootstrap}), and each connection's sealed datagrams go straight from the session
 * layer to a {@link SegmentedDatagramWriter} (runs of equal-sized ones as one {@code UDP_SEGMENT} write), flushed
 * once per batch by a {@link BatchedFlusher} ({@code sendmmsg}); on NIO one datagram per system call. Same behaviour
 * either way.
 *
 * <p>Handshakes: on an accepting socket with {@link RudpConfig#handshakeWorkers()} above 0, the event loop only does
 * an initiation's cheap checks (lengths, mac1, cookies under load, the half-open cap) and hands its Diffie-Hellman
 * work to a {@link HandshakeWorkers} pool (at most {@link #HANDSHAKE_QUEUE_LIMIT} waiting; more are dropped and
 * counted); the result comes back to the event loop, which installs the connection and sends the RESPONSE. Otherwise
 * event-loop confined.
 */
public final class RudpCodec extends ChannelDuplexHandler {
    /** Initiations waiting for a handshake worker at most: about a quarter second of work per worker core. */
    public static final int HANDSHAKE_QUEUE_LIMIT = 1024;

    private final RudpConfig config;
    private final boolean accepting;
    private final ChannelHandler childHandler;
    private final LongSupplier clock;
    private final Runnable timerTask = this::onTimer;
    private final SegmentedDatagramWriter writer = new SegmentedDatagramWriter();
    private final BatchedFlusher flusher = new BatchedFlusher();
    private final DatagramSink sink = new WriterSink();
    private ChannelHandlerContext ctx;
    private SecureEndpoint endpoint;
    private HandshakeWorkers workers;
    private ScheduledFuture<?> timer;
    private long timerDeadlineNs;
    private boolean driving;
    private boolean driveAgain;

    /**
     * @param accepting whether the socket accepts connections (server); a client-only socket drops initiations
     * @param childHandler handler added to each accepted child channel's pipeline, or null for a client-only codec
     */
    public RudpCodec(final RudpConfig config, final boolean accepting, final ChannelHandler childHandler) {
        if (config.profile() != RudpConfig.Profile.SECURE) {
            throw new IllegalArgumentException("RudpCodec speaks the secure profile; the raw profile is "
                    + "io.shoal.rudp.netty.RawKcpHandler / RawKcpEndpoint");
        }
        this.config = config;
        this.accepting = accepting;
        this.childHandler = childHandler;
        this.clock = System::nanoTime;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (accepting && config.handshakeWorkers() > 0) {
            workers = HandshakeWorkers.forEndpoint(config.handshakeWorkers(), HANDSHAKE_QUEUE_LIMIT, ctx.executor(),
                    this::onHandshakeComputed);
        }
        this.endpoint = new SecureEndpoint(config, accepting, ctx.alloc(), new SecureRandom(),
                workers == null ? null : workers.offload());
        writer.attach(ctx, config.segmentationOffload() && SegmentedDatagramWriter.supported(ctx.channel()));
        flusher.attach(ctx);
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx) {
        shutdown();
        writer.discard();
    }

    /** @return whether runs of datagrams leave as one {@code UDP_SEGMENT} write (epoll, where the kernel has it) */
    public boolean segmentationOffloadActive() {
        return writer.enabled();
    }

    /** @return {@code UDP_SEGMENT} writes so far, each carrying a run of datagrams */
    public long segmentedWrites() {
        return writer.segmentedWrites();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        shutdown();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        flusher.beginBatch(); // ended by channelReadComplete
        try {
            if (endpoint != null) {
                endpoint.handleDatagram(clock.getAsLong(), packet.sender(), packet.content());
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        drive();
        flusher.endBatch(false);
        ctx.fireChannelReadComplete();
    }

    /**
     * Starts a connection to {@code remote} (known to the peer-key policy as {@code peerName}); the returned future
     * completes with the child channel, with {@code handler} in its pipeline, once the handshake is done, or fails
     * with {@link RudpHandshakeException}. Call on the event loop, or from anywhere: it hops onto it.
     */
    public Future<RudpChannel> connect(final InetSocketAddress remote, final String peerName,
                                       final ChannelHandler handler) {
        final Promise<RudpChannel> promise = ctx.executor().newPromise();
        if (ctx.executor().inEventLoop()) {
            connect0(remote, peerName, handler, promise);
        } else {
            ctx.executor().execute(() -> connect0(remote, peerName, handler, promise));
        }
        return promise;
    }

    /** @return the socket's counters; call on the event loop */
    public EndpointStats stats() {
        return endpoint.stats();
    }

    private void connect0(final InetSocketAddress remote, final String peerName, final ChannelHandler handler,
                          final Promise<RudpChannel> promise) {
        if (endpoint == null || !ctx.channel().isActive()) {
            promise.tryFailure(new RudpHandshakeException(null, "socket closed"));
            return;
        }
        final SecureConnection c = endpoint.connect(clock.getAsLong(), remote, peerName);
        final RudpChannel child = new RudpChannel(ctx.channel(), this, c, promise);
        c.attach(child);
        child.pipeline().addLast(handler);
        ctx.channel().eventLoop().register(child);
        drive();
    }

    /** Runs after a child changed its connection (write, read, close): flush what it produced. */
    void childChanged() {
        drive();
    }

    long nowNs() {
        return clock.getAsLong();
    }

    private void onHandshakeComputed(final ResponderHandshake job) {
        if (endpoint != null) {
            inBatch(() -> endpoint.handleComputedHandshake(clock.getAsLong(), job));
        }
    }

    private void onTimer() {
        timer = null;
        if (endpoint != null) {
            inBatch(() -> endpoint.handleTimeout(clock.getAsLong()));
        }
    }

    /** Runs {@code input} on the endpoint, then drives it, flushing once at the end (or with an outer batch). */
    private void inBatch(final Runnable input) {
        final boolean outer = flusher.beginBatch();
        try {
            input.run();
            drive();
        } finally {
            flusher.endBatch(outer);
        }
    }

    private void drive() {
        if (endpoint == null) {
            return;
        }
        if (driving) {
            driveAgain = true; // a child handler wrote or closed from inside an event: finish this pass first
            return;
        }
        driving = true;
        try {
            do {
                driveAgain = false;
                flushTransmits(); // first: an event handler may close the socket
                SessionEvent e;
                while ((e = endpoint.pollEvent()) != null) {
                    dispatch(e);
                }
                flushTransmits();
            } while (driveAgain && endpoint != null);
            armTimer();
        } finally {
            driving = false;
        }
    }

    private void dispatch(final SessionEvent e) {
        if (e instanceof SessionEvent.Foreign f) {
            ctx.fireChannelRead(new DatagramPacket(f.datagram(), (InetSocketAddress) ctx.channel().localAddress(),
                    f.sender()));
            return;
        }
        final SecureConnection c = e.connection();
        if (e instanceof SessionEvent.Accepted) {
            final RudpChannel child = new RudpChannel(ctx.channel(), this, c, null);
            c.attach(child);
            if (childHandler != null) {
                child.pipeline().addLast(childHandler);
            }
            ctx.channel().eventLoop().register(child);
            return;
        }
        final RudpChannel child = (RudpChannel) c.attachment();
        if (child == null) {
            return;
        }
        if (e instanceof SessionEvent.Established) {
            child.onEstablished();
        } else if (e instanceof SessionEvent.Readable) {
            child.onReadable();
        } else if (e instanceof SessionEvent.Writable) {
            child.onWritable();
        } else if (e instanceof SessionEvent.Closed closed) {
            child.onConnectionClosed(closed.reason());
        }
    }

    private void flushTransmits() {
        if (endpoint.drainTransmits(sink) > 0) {
            writer.finish();
            flusher.wrote(); // flushed when the read batch or timer run ends, else in a task queued behind this one
        }
    }

    private void armTimer() {
        final long deadlineNs = endpoint.nextDeadlineNs();
        if (deadlineNs == SecureEndpoint.NO_DEADLINE) {
            return;
        }
        if (timer != null) {
            if (deadlineNs - timerDeadlineNs >= 0) {
                return; // the armed timer fires first; it re-arms for the later deadline
            }
            timer.cancel(false);
        }
        timerDeadlineNs = deadlineNs;
        timer = ctx.executor().schedule(timerTask, Math.max(0, deadlineNs - clock.getAsLong()),
                TimeUnit.NANOSECONDS);
    }

    /** Hands datagrams to the writer; sealed DATA goes straight into the {@code UDP_SEGMENT} run it joins. */
    private final class WriterSink implements DatagramSink {
        @Override
        public void send(final ByteBuf datagram, final InetSocketAddress to) {
            writer.add(datagram, to);
        }

        @Override
        public boolean sendWritten(final int bytes, final InetSocketAddress to, final Predicate<ByteBuf> producer,
                                   final ByteBufAllocator alloc) {
            return writer.addInPlace(bytes, to, producer);
        }
    }

    private void shutdown() {
        if (endpoint == null) {
            return;
        }
        final List<RudpChannel> children = new ArrayList<>();
        for (SecureConnection c : endpoint.connections()) {
            if (c.attachment() instanceof RudpChannel child) {
                children.add(child);
            }
        }
        final SecureEndpoint e = endpoint;
        try {
            for (RudpChannel child : children) {
                child.onConnectionClosed(CloseReason.ENDPOINT_CLOSED);
            }
        } finally {
            // Whatever a child's handlers did, the engines and their pooled buffers are freed.
            endpoint = null;
            if (workers != null) {
                workers.close();
                workers = null;
            }
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            e.close();
        }
    }
}
