package io.shoal.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An echo client on the Netty API: connects (secure profile, stream mode), writes some bytes, collects what comes
 * back until it has as many, and closes gracefully.
 *
 * <p>Run: {@code examples/run EchoClient HOST:PORT [SERVER_KEY] [TEXT]}; without the key the client learns it on
 * first use.
 */
public final class EchoClient {
    private EchoClient() {
    }

    /**
     * Sends {@code data} to an echo server and returns what came back, waiting at most {@code timeoutMs}.
     *
     * @param serverKey the key to pin, or null to learn it
     */
    public static byte[] echo(final EventLoopGroup group, final InetSocketAddress server, final PeerKey serverKey,
                              final byte[] data, final long timeoutMs) throws Exception {
        final Collector collector = new Collector(data.length);
        // The future completes once the handshake is done: from then on the channel is an ordinary Netty channel.
        final RudpChannel channel = RudpClient.connect(group, ExampleSupport.clientConfig(true, serverKey), server,
                "server", collector).get(timeoutMs, TimeUnit.MILLISECONDS);
        try {
            channel.writeAndFlush(Unpooled.wrappedBuffer(data));
            return collector.done.get(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            channel.close(); // graceful: the CLOSE exchange runs in the background, then the socket closes
            channel.closeReason().await(timeoutMs);
        }
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EchoClient HOST:PORT [SERVER_KEY] [TEXT]");
            System.exit(2);
        }
        final String text = args.length > 2 ? args[2] : "hello, shoal";
        final EventLoopGroup group = ExampleSupport.newGroup();
        try {
            final byte[] back = echo(group, ExampleSupport.parseAddress(args[0]), ExampleSupport.optionalKey(args, 1),
                    text.getBytes(StandardCharsets.UTF_8), 10_000);
            System.out.println("echoed: " + new String(back, StandardCharsets.UTF_8));
        } finally {
            group.shutdownGracefully();
        }
    }

    /**
     * Gathers the stream until {@code expected} bytes arrived. In stream mode the bytes may come in any number of
     * reads, so it counts bytes, never reads.
     */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int expected;

        Collector(final int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf b = (ByteBuf) msg;
            try {
                bytes.writeBytes(ByteBufUtil.getBytes(b));
            } finally {
                b.release(); // inbound buffers belong to the handler that consumes them
            }
            if (bytes.size() >= expected) {
                done.complete(bytes.toByteArray());
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("connection ended after " + bytes.size() + " of "
                    + expected + " bytes"));
            ctx.fireChannelInactive();
        }
    }
}
