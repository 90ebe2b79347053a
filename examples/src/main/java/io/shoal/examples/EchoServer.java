package io.shoal.examples;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.netty.channel.RudpCloseEvent;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;

/**
 * An echo server on the Netty API: every connection to it is a child {@code RudpChannel} with its own pipeline, and
 * the only handler in it writes back whatever it reads. Secure profile (Noise handshake, encrypted packets), stream
 * mode (a byte stream, like TCP).
 *
 * <p>Run: {@code examples/run EchoServer [PORT]} (default 7000); it prints the key clients may pin.
 */
public final class EchoServer implements AutoCloseable {
    private final Channel socket;
    private final PeerKey publicKey;

    private EchoServer(final Channel socket, final PeerKey publicKey) {
        this.socket = socket;
        this.publicKey = publicKey;
    }

    /** Binds to {@code local} (port 0: any free port) on {@code group}, which the caller owns. */
    public static EchoServer start(final EventLoopGroup group, final InetSocketAddress local) throws InterruptedException {
        final RudpConfig config = ExampleSupport.serverConfig(true);
        // RudpServer.bind puts the rudp codec on a UDP socket; the handler given here goes on every child channel.
        final Channel socket = RudpServer.bind(group, local, config, new Echo()).sync().channel();
        return new EchoServer(socket, config.identity().publicKey());
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** @return the server's public key, for clients to pin */
    public PeerKey publicKey() {
        return publicKey;
    }

    /** Closes the socket; open connections end with {@code ENDPOINT_CLOSED}. */
    @Override
    public void close() {
        socket.close().syncUninterruptibly();
    }

    public static void main(final String[] args) throws InterruptedException {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        final EventLoopGroup group = ExampleSupport.newGroup();
        try (EchoServer server = start(group, new InetSocketAddress(port))) {
            System.out.println("echo server on " + server.address() + ", key " + server.publicKey().toBase64());
            server.socket.closeFuture().sync(); // until the process is stopped
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Writes back every buffer it reads; one instance serves all connections, so it keeps no state. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ctx.write(msg); // the ByteBuf now belongs to the outbound side, which releases it once sent
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx) {
            ctx.flush(); // one flush per batch of reads, not per buffer
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
            if (evt instanceof RudpCloseEvent close) {
                System.out.println(ctx.channel().remoteAddress() + " left: " + close.reason());
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
