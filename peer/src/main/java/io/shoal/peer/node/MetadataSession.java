package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.shoal.peer.metadata.MetadataCodec;
import io.shoal.peer.metadata.MetadataExtension;
import io.shoal.peer.metadata.MetadataMessage;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.Handshake;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireDecoder;
import io.shoal.peer.wire.PeerWireEncoder;
import io.shoal.peer.wire.PeerWireLimits;

/**
 * One connection of a {@link MetadataFetch}, on TCP or rudp alike: the BEP 3 handshake with the extension and fast
 * bits, once the peer's handshake is in our opening (have-none with BEP 6: we hold nothing yet) and a BEP 10 handshake
 * advertising {@code ut_metadata}, then BEP 9 requests as the shared {@code MetadataFetcher} assigns them. What the
 * peer says that matters to a swarm (bitfield, haves, choke state, ...) is kept in a {@link PeerOpening}: once the
 * torrent runs, {@link #handOver} puts a {@link PeerSession} in this handler's place on the same connection, so a
 * magnet download makes no second connection. Runs on the node's event loop; a peer that breaks the protocol, serves
 * another torrent or offers no metadata is hung up on.
 */
final class MetadataSession extends ChannelInboundHandlerAdapter {
    private final MetadataFetch fetch;
    private final PeerTransport transport;
    private ChannelHandlerContext ctx;
    private PeerWireDecoder decoder;
    private boolean handshaken;
    private boolean closed;
    /** Set with the peer's handshake; passed to the {@link PeerSession} at the handover. */
    private PeerOpening opening;
    private int id = -1;
    /** The peer's id for {@code ut_metadata}; 0 until its extension handshake names one. */
    private int remoteExtensionId;

    MetadataSession(MetadataFetch fetch, PeerTransport transport) {
        this.fetch = fetch;
        this.transport = transport;
    }

    String who() {
        return ctx.channel().remoteAddress() + " (" + transport.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

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
        if (decoder != null) {
            return;
        }
        decoder = new PeerWireDecoder(PeerWireLimits.defaults(0), ctx.alloc(), true);
        id = fetch.register(this);
        ByteBuf out = ctx.alloc().buffer(128);
        PeerWireEncoder.encodeHandshake(new Handshake(Handshake.reservedBits(true, true, false), fetch.infoHash(),
            fetch.peerId()), out);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    /** After the peer's handshake, in the usual order: our opening, then our extension handshake. */
    private void sendOpening(boolean fast) {
        ByteBuf out = ctx.alloc().buffer(256);
        if (fast) {
            PeerWireEncoder.encode(PeerMessage.HaveNone.INSTANCE, out); // BEP 6: nothing held yet
        }
        ExtendedHandshake ours = new ExtendedHandshake(MetadataExtension.advertised(), fetch.listenPort(),
            PeerSession.CLIENT, null, 0, fetch.rudpPort(), -1);
        PeerWireEncoder.encode(new PeerMessage.ExtendedHandshakeMessage(ours), out);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closed = true;
        if (decoder != null) {
            decoder.release();
            decoder = null;
        }
        if (id >= 0) {
            fetch.unregister(this, id);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        hangUp(cause.getMessage());
    }

    /** Closes with {@code why} as the fetch's latest problem (null: no problem, the fetch is over). */
    void hangUp(String why) {
        if (why != null) {
            fetch.problem(who() + ": " + why);
        }
        if (!closed) {
            closed = true;
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!closed && decoder != null) {
                decoder.feed(buf);
            }
        } finally {
            buf.release();
        }
        if (closed || decoder == null || !handshake()) {
            return;
        }
        PeerMessage m;
        while (!closed && (m = decoder.poll()) != null) {
            try {
                onMessage(m);
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        if (!closed && decoder.error() != null) {
            hangUp(String.valueOf(decoder.error()));
        }
        requestMore();
    }

    private boolean handshake() {
        if (handshaken) {
            return true;
        }
        Handshake h = decoder.pollHandshake();
        if (h == null) {
            if (decoder.error() != null) {
                hangUp(String.valueOf(decoder.error()));
            }
            return false;
        }
        InfoHash hash = h.infoHash();
        if (!hash.equals(fetch.infoHash())) {
            hangUp("serves another torrent");
            return false;
        }
        if (!h.supportsExtensions()) {
            hangUp("does not support extensions (BEP 10)");
            return false;
        }
        handshaken = true;
        opening = new PeerOpening(h.peerId(), h.supportsFast());
        sendOpening(h.supportsFast());
        return true;
    }

    private void onMessage(PeerMessage m) {
        if (PeerOpening.worthKeeping(m) && !opening.keep(m)) {
            hangUp("more than " + PeerOpening.MAX_MESSAGES + " messages before the metadata");
            return;
        }
        if (m instanceof PeerMessage.ExtendedHandshakeMessage hs) {
            if (remoteExtensionId != 0 || fetch.done()) {
                return; // repeated (BEP 10 allows it), or the metadata is in: kept for the session, nothing to ask
            }
            Integer theirs = hs.handshake().extensions().get(MetadataCodec.EXTENSION);
            long size = hs.handshake().metadataSize();
            if (theirs == null || theirs <= 0 || !fetch.fetcher().addPeer(id, size)) {
                hangUp("offers no usable metadata (ut_metadata " + (theirs == null ? "absent" : theirs)
                    + ", metadata_size " + size + ")");
                return;
            }
            remoteExtensionId = theirs;
        } else if (m instanceof PeerMessage.Extended ext && ext.extendedId() == MetadataExtension.LOCAL_ID) {
            MetadataCodec.Decoded d = MetadataCodec.decode(ext.payload());
            if (d.message() == null) {
                hangUp(d.error());
                return;
            }
            if (d.message() instanceof MetadataMessage.Request) {
                return; // we have nothing to serve yet; the peer has the metadata anyway
            }
            fetch.onAnswer(this, id, d.message());
        }
    }

    /** Sends every request the fetcher has for this peer now. */
    void requestMore() {
        if (closed || remoteExtensionId == 0 || fetch.done()) {
            return;
        }
        ByteBuf out = null;
        long now = System.nanoTime();
        for (int piece = fetch.fetcher().nextRequest(id, now); piece >= 0;
             piece = fetch.fetcher().nextRequest(id, now)) {
            out = out == null ? ctx.alloc().buffer(64) : out;
            PeerWireEncoder.encode(new PeerMessage.Extended(remoteExtensionId,
                MetadataCodec.encode(new MetadataMessage.Request(piece))), out);
        }
        if (out != null) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    io.netty.channel.ChannelFuture closeFuture() {
        return ctx.channel().closeFuture();
    }

    java.net.InetSocketAddress remoteAddress() {
        return (java.net.InetSocketAddress) ctx.channel().remoteAddress();
    }

    /** Whether the connection is open and past the BEP 3 handshake, so a torrent can take it over. */
    boolean canHandOver() {
        return !closed && handshaken && ctx.channel().isActive();
    }

    /**
     * Puts a {@link PeerSession} for {@code torrent} in this handler's place on the same connection, with what was
     * learned (the decoder with any partial message, the kept messages), and the node's idle timeouts in place of the
     * metadata phase's read timeout. Does nothing if the connection closed meanwhile.
     */
    void handOver(PeerNode node, Torrent torrent) {
        if (!canHandOver()) {
            return;
        }
        closed = true; // this handler is done; the session owns the connection from here
        fetch.leave(this, id);
        opening.decoder(decoder);
        decoder = null;
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.replace(ReadTimeoutHandler.class, null, node.newIdleHandler());
        pipeline.replace(this, null, new PeerSession(node, torrent, transport, opening));
    }
}
