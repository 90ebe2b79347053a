package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * One connection of a {@link MetadataFetch}, on TCP or rudp alike: the BEP 3 handshake with the extension bit, a BEP 10
 * handshake advertising {@code ut_metadata}, then BEP 9 requests as the shared {@code MetadataFetcher} assigns them.
 * Everything else the peer sends (bitfield, have, ...) is ignored: the piece count is not known yet. Runs on the
 * node's event loop; a peer that breaks the protocol, serves another torrent or offers no metadata is hung up on.
 */
final class MetadataSession extends ChannelInboundHandlerAdapter {
    private final MetadataFetch fetch;
    private final PeerTransport transport;
    private ChannelHandlerContext ctx;
    private PeerWireDecoder decoder;
    private boolean handshaken;
    private boolean closed;
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
        ByteBuf out = ctx.alloc().buffer(256);
        PeerWireEncoder.encodeHandshake(new Handshake(Handshake.reservedBits(true, false, false), fetch.infoHash(),
            fetch.peerId()), out);
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
        return true;
    }

    private void onMessage(PeerMessage m) {
        if (m instanceof PeerMessage.ExtendedHandshakeMessage hs) {
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
        if (closed || remoteExtensionId == 0) {
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
}
