package io.shoal.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A chat client in message mode: each line typed is sent as one message ({@code NAME: line}); every message the
 * server relays is printed. End input (Ctrl-D) to leave.
 *
 * <p>Run: {@code examples/run ChatClient HOST:PORT NAME [SERVER_KEY]}.
 */
public final class ChatClient implements AutoCloseable {
    private final RudpChannel channel;
    private final String name;

    private ChatClient(final RudpChannel channel, final String name) {
        this.channel = channel;
        this.name = name;
    }

    /**
     * Connects; {@code onMessage} is called on the event loop with each relayed message.
     *
     * @param serverKey the key to pin, or null to learn it
     */
    public static ChatClient connect(final EventLoopGroup group, final InetSocketAddress server,
                                     final PeerKey serverKey, final String name, final Consumer<String> onMessage)
            throws Exception {
        final RudpChannel channel = RudpClient.connect(group, ExampleSupport.clientConfig(false, serverKey), server,
                "server", new Printer(onMessage)).get(10, TimeUnit.SECONDS);
        return new ChatClient(channel, name);
    }

    /** Sends one line as one message; the future completes once rudp has queued it. */
    public Future<Void> say(final String line) {
        return channel.writeAndFlush(Unpooled.copiedBuffer(name + ": " + line, StandardCharsets.UTF_8));
    }

    /** Leaves gracefully: queued messages are delivered first. */
    @Override
    public void close() {
        channel.close();
        channel.closeReason().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ChatClient HOST:PORT NAME [SERVER_KEY]");
            System.exit(2);
        }
        final EventLoopGroup group = ExampleSupport.newGroup();
        try (ChatClient chat = connect(group, ExampleSupport.parseAddress(args[0]),
                ExampleSupport.optionalKey(args, 2), args[1], System.out::println)) {
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                chat.say(line).sync(); // waiting here is what keeps a fast typist (or a pipe) from flooding memory
            }
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Hands each message, decoded as UTF-8, to the application. */
    private static final class Printer extends ChannelInboundHandlerAdapter {
        private final Consumer<String> onMessage;

        Printer(final Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            final ByteBuf message = (ByteBuf) msg;
            try {
                onMessage.accept(message.toString(StandardCharsets.UTF_8));
            } finally {
                message.release();
            }
        }
    }
}
