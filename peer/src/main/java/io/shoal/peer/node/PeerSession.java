package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.shoal.peer.metadata.MetadataExtension;
import io.shoal.peer.metadata.MetadataServer;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.Handshake;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireDecoder;
import io.shoal.peer.wire.PeerWireEncoder;
import io.shoal.peer.wire.PeerWireLimits;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One peer connection: the BEP 3 handshake, BEP 10 extension handshake and BEP 6 fast extension over the sans-IO wire
 * codec, on any channel that carries {@link ByteBuf}s, so the same handler runs on a TCP {@code SocketChannel} and on
 * a secure rudp {@code RudpChannel}. Decisions are the torrent's ({@link Torrent}); this class moves bytes.
 *
 * <p>Control messages collect in one pooled buffer flushed once per event-loop turn. Requests we serve go to a
 * {@link BlockServer} (bounded queue, reads only while the channel is writable, batched piece messages). Runs on the
 * node's event loop only.
 */
final class PeerSession extends ChannelDuplexHandler {
    private static final int REQUEST_QUEUE_ADVERTISED = 500;
    static final String CLIENT = "shoal 0.1";

    private final PeerNode node;
    private final boolean outgoing;
    private final PeerTransport transport;
    private final BlockServer server = new BlockServer(this);
    private final Runnable flushTask = this::flushNow;
    private Torrent torrent;
    private ChannelHandlerContext ctx;
    private PeerWireDecoder decoder;
    private ByteBuf pending;
    private boolean started;
    private boolean flushScheduled;
    private boolean fast;
    private boolean closed;
    private int peer = -1;
    private byte[] remotePeerId;
    /** BEP 9: serves our info dictionary to magnet downloaders; null until our extension handshake is sent. */
    private MetadataExtension metadataExtension;
    /** A magnet's metadata connection this session takes over (handshakes done), or null. */
    private PeerOpening opening;

    /** @param torrent the torrent dialled for (outgoing), or null to learn it from the peer's handshake */
    PeerSession(PeerNode node, Torrent torrent, boolean outgoing, PeerTransport transport) {
        this.node = node;
        this.torrent = torrent;
        this.outgoing = outgoing;
        this.transport = transport;
    }

    /**
     * Takes over a magnet's metadata connection for {@code torrent} (outgoing, BEP 3 and BEP 10 handshakes done, our
     * opening sent): see {@link MetadataSession#handOver}.
     */
    PeerSession(PeerNode node, Torrent torrent, PeerTransport transport, PeerOpening opening) {
        this(node, torrent, true, transport);
        this.opening = opening;
    }

    PeerTransport transport() {
        return transport;
    }

    boolean outgoing() {
        return outgoing;
    }

    byte[] remotePeerId() {
        return remotePeerId;
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    InetSocketAddress remoteAddress() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        start();
        context.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        if (opening != null) {
            takeOver();
            return;
        }
        int pieces = torrent == null ? 1 : torrent.layout().pieceCount();
        decoder = new PeerWireDecoder(PeerWireLimits.defaults(pieces), ctx.alloc(), true);
        if (outgoing) {
            sendHandshake();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closed = true;
        if (torrent != null && peer >= 0) {
            torrent.connections().detach(this, peer);
        }
        if (decoder != null) {
            decoder.release();
        }
        if (opening != null) {
            opening.release(); // closed before start took the decoder
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        server.clear();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                close(); // nothing, not even a keep-alive, for the idle timeout: the peer is gone
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                write(PeerMessage.KeepAlive.INSTANCE);
            }
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    void close() {
        if (!closed) {
            closed = true;
            flushNow();
            ctx.close();
        }
    }

    // ---- inbound ---------------------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!closed && decoder != null) {
                decoder.feed(buf);
            }
        } finally {
            buf.release();
        }
        if (closed || decoder == null) {
            return;
        }
        if (peer < 0 && !onHandshake()) {
            return;
        }
        drain();
    }

    private void drain() {
        PeerMessage m;
        while (!closed && (m = decoder.poll()) != null) {
            dispatch(m);
        }
        if (decoder.error() != null && !closed) {
            node.countProtocolError();
            close();
        }
    }

    /**
     * The metadata connection becomes this torrent's: the peer joins the swarm, gets our extension handshake anew
     * (now with {@code reqq} and {@code metadata_size}) and HAVEs for what we hold, and what it told the metadata
     * phase is replayed, now checked against the piece count, before the rest of the stream.
     */
    private void takeOver() {
        PeerWireLimits limits = PeerWireLimits.defaults(torrent.layout().pieceCount());
        decoder = opening.takeDecoder(limits);
        java.util.List<PeerMessage> learned = opening.replay(limits);
        if (learned == null) {
            node.countProtocolError();
            close();
            return;
        }
        remotePeerId = opening.remotePeerId();
        fast = opening.fast();
        if (!join(true)) {
            return;
        }
        torrent.connections().sendPiecesAfterOpening(this, peer);
        for (PeerMessage m : learned) {
            if (closed) {
                return;
            }
            dispatch(m);
        }
        drain();
    }

    /** The handshake is done: the peer joins the torrent (false: refused and closed). */
    private boolean join(boolean extensions) {
        peer = torrent.connections().attach(this, remotePeerId);
        if (peer < 0) {
            close();
            return false;
        }
        server.joined(torrent, peer, fast);
        if (extensions) {
            sendExtendedHandshake();
        }
        return true;
    }

    /** True once the handshake is done and the peer attached; false while waiting or after closing. */
    private boolean onHandshake() {
        Handshake h = decoder.pollHandshake();
        if (h == null) {
            if (decoder.error() != null) {
                close();
            }
            return false;
        }
        InfoHash hash = h.infoHash();
        if (torrent == null) {
            torrent = node.torrentFor(hash);
            if (torrent == null) {
                close();
                return false;
            }
            decoder.limits(PeerWireLimits.defaults(torrent.layout().pieceCount()));
            sendHandshake();
        } else if (!torrent.infoHash().equals(hash)) {
            close();
            return false;
        }
        remotePeerId = h.peerId();
        fast = h.supportsFast();
        if (!join(h.supportsExtensions())) {
            return false;
        }
        torrent.connections().sendInitialPieces(this, peer, fast);
        return true;
    }

    private void dispatch(PeerMessage m) {
        switch (m.kind()) {
            case PIECE -> {
                PeerMessage.Piece p = (PeerMessage.Piece) m;
                try {
                    torrent.onBlockData(peer, p.piece(), p.begin(), p.content());
                } finally {
                    p.release();
                }
            }
            case REQUEST -> {
                PeerMessage.Request r = (PeerMessage.Request) m;
                server.onRequest(r.piece(), r.begin(), r.length());
            }
            case CANCEL -> {
                PeerMessage.Cancel c = (PeerMessage.Cancel) m;
                server.onCancel(c.piece(), c.begin(), c.length());
            }
            case REJECT -> {
                PeerMessage.Reject r = (PeerMessage.Reject) m;
                torrent.onRejected(peer, r.piece(), r.begin(), r.length());
            }
            case EXTENDED_HANDSHAKE -> {
                ExtendedHandshake hs = ((PeerMessage.ExtendedHandshakeMessage) m).handshake();
                if (metadataExtension != null) {
                    metadataExtension.onHandshake(hs);
                }
                torrent.onExtendedHandshake(peer, hs);
            }
            case EXTENDED -> {
                PeerMessage.Extended reply = metadataExtension == null ? null
                    : metadataExtension.onExtended((PeerMessage.Extended) m);
                if (reply != null) {
                    write(reply);
                }
            }
            default -> torrent.onControl(peer, m, fast);
        }
    }

    // ---- outbound --------------------------------------------------------------------------------------------------

    private void sendHandshake() {
        write(torrent.handshakeFor(node.peerId()));
    }

    private void sendExtendedHandshake() {
        InetSocketAddress remote = remoteAddress();
        byte[] yourIp = remote == null ? null : remote.getAddress().getAddress();
        MetadataServer metadata = torrent.metadataServer();
        metadataExtension = metadata == null ? null : new MetadataExtension(metadata);
        ExtendedHandshake ext = new ExtendedHandshake(
            metadataExtension == null ? Map.of() : MetadataExtension.advertised(), node.port(), CLIENT, yourIp,
            REQUEST_QUEUE_ADVERTISED, node.rudpPort(),
            metadataExtension == null ? -1 : metadataExtension.metadataSizeBytes());
        write(new PeerMessage.ExtendedHandshakeMessage(ext));
    }

    /** Queues a message in the control buffer; it leaves at the end of this event-loop turn. */
    void write(PeerMessage m) {
        if (closed) {
            return;
        }
        PeerWireEncoder.encode(m, pendingBuffer());
        scheduleFlush();
    }

    private void write(Handshake h) {
        PeerWireEncoder.encodeHandshake(h, pendingBuffer());
        scheduleFlush();
    }

    private ByteBuf pendingBuffer() {
        if (pending == null) {
            pending = ctx.alloc().buffer(256);
        }
        return pending;
    }

    /** We choke the peer: its queued requests are dropped (rejected one by one with BEP 6). */
    void choke(boolean choke) {
        server.choke(choke);
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    void flushNow() {
        flushScheduled = false;
        writeControl();
        ctx.flush();
    }

    /** Hands the pending control messages to the channel (not flushed): they go before what is written next. */
    void writeControl() {
        if (pending != null && pending.isReadable() && ctx.channel().isActive()) {
            ctx.write(pending, ctx.voidPromise());
            pending = null;
        }
    }

    boolean isClosed() {
        return closed;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            server.schedulePump();
        }
        context.fireChannelWritabilityChanged();
    }
}
