package io.shoal.examples;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;

/**
 * A chat relay in message mode: each message a client sends arrives here as one {@link ByteBuf} (never split or
 * merged, unlike a stream) and is relayed, unchanged, to every other connected client.
 *
 * <p>Run: {@code examples/run ChatServer [PORT]} (default 7001), then {@code examples/run ChatClient} in two
 * terminals.
 */
public final class ChatServer implements AutoCloseable {
    private final Channel socket;
    private final PeerKey publicKey;
    private final ChannelGroup members;

    private ChatServer(final Channel socket, final PeerKey publicKey, final ChannelGroup members) {
        this.socket = socket;
        this.publicKey = publicKey;
        this.members = members;
    }

    /** Binds to {@code local} (port 0: any free port) on {@code group}, which the caller owns. */
    public static ChatServer start(final EventLoopGroup group, final InetSocketAddress local) throws InterruptedException {
        final RudpConfig config = ExampleSupport.serverConfig(false);
        // A ChannelGroup drops channels by itself when they close, so it always holds the connected clients.
        final ChannelGroup members = new DefaultChannelGroup("chat", GlobalEventExecutor.INSTANCE);
        final Channel socket = RudpServer.bind(group, local, config, new Relay(members)).sync().channel();
        return new ChatServer(socket, config.identity().publicKey(), members);
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** @return the server's public key, for clients to pin */
    public PeerKey publicKey() {
        return publicKey;
    }

    /** @return how many clients are connected */
    public int members() {
        return members.size();
    }

    @Override
    public void close() {
        socket.close().syncUninterruptibly();
    }

    public static void main(final String[] args) throws InterruptedException {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 7001;
        final EventLoopGroup group = ExampleSupport.newGroup();
        try (ChatServer server = start(group, new InetSocketAddress(port))) {
            System.out.println("chat server on " + server.address() + ", key " + server.publicKey().toBase64());
            server.socket.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Adds each connection to the group when it becomes active and relays its messages to the others. */
    @ChannelHandler.Sharable
    static final class Relay extends ChannelInboundHandlerAdapter {
        private final ChannelGroup members;

        Relay(final ChannelGroup members) {
            this.members = members;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx) {
            members.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf message = (ByteBuf) msg;
            try {
                // Each write takes ownership of one reference: a retained duplicate shares the bytes, not a copy.
                for (Channel other : members) {
                    if (other != ctx.channel()) {
                        other.writeAndFlush(message.retainedDuplicate());
                    }
                }
            } finally {
                message.release();
            }
        }
    }
}
