package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.shoal.peer.metadata.MetadataExtension;
import io.shoal.peer.metadata.MetadataServer;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.Handshake;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireDecoder;
import io.shoal.peer.wire.PeerWireEncoder;
import io.shoal.peer.wire.PeerWireLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A test peer on a loopback TCP port that serves {@code metadata} (which may be a lie) for {@code infoHash} through
 * {@link MetadataExtension}, one connection at a time, on a daemon thread.
 */
final class ServingPeer implements AutoCloseable {
    private final ServerSocket server;
    private final InfoHash infoHash;
    private final byte[] metadata;

    ServingPeer(InfoHash infoHash, byte[] metadata) throws IOException {
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.infoHash = infoHash;
        this.metadata = metadata;
        Thread t = new Thread(this::acceptLoop, "serving-peer");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                serve(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                // the client hung up, or we are closing
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        MetadataExtension ext = new MetadataExtension(new MetadataServer(metadata));
        PeerWireDecoder decoder = new PeerWireDecoder(PeerWireLimits.defaults(0), ByteBufAllocator.DEFAULT, true);
        ByteBuf buf = Unpooled.buffer();
        try {
            PeerWireEncoder.encodeHandshake(new Handshake(Handshake.reservedBits(true, false, false), infoHash,
                new byte[20]), buf);
            PeerWireEncoder.encode(new PeerMessage.ExtendedHandshakeMessage(new ExtendedHandshake(
                MetadataExtension.advertised(), 0, "test", null, 0, 0, ext.metadataSizeBytes())), buf);
            flush(out, buf);
            byte[] chunk = new byte[4096];
            boolean handshaken = false;
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                decoder.feed(Unpooled.wrappedBuffer(chunk, 0, n));
                handshaken = handshaken || decoder.pollHandshake() != null;
                for (PeerMessage m = decoder.poll(); m != null; m = decoder.poll()) {
                    if (m instanceof PeerMessage.ExtendedHandshakeMessage h) {
                        ext.onHandshake(h.handshake());
                    } else if (m instanceof PeerMessage.Extended e) {
                        PeerMessage.Extended reply = ext.onExtended(e);
                        if (reply != null) {
                            PeerWireEncoder.encode(reply, buf);
                        }
                    }
                    ReferenceCountUtil.release(m);
                }
                flush(out, buf);
            }
        } finally {
            buf.release();
            decoder.release();
        }
    }

    private static void flush(OutputStream out, ByteBuf buf) throws IOException {
        buf.readBytes(out, buf.readableBytes());
        out.flush();
        buf.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
