package io.shoal.examples;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.shoal.rudp.netty.channel.RudpChannel;
import io.shoal.rudp.netty.channel.RudpClient;
import io.shoal.rudp.netty.channel.RudpServer;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's own codecs, unchanged, on an rudp child channel: {@link LengthFieldBasedFrameDecoder} and
 * {@link LengthFieldPrepender} cut the byte stream into frames with a 4-byte length in front, and the string codec
 * turns frames into {@code String}s. An rudp channel in stream mode is a byte stream like a TCP channel, so the
 * pipeline is exactly the one a TCP server would use; only the bootstrap differs.
 *
 * <p>Run: {@code examples/run LengthPrefixedPipeline [FRAMES]} (default 200): starts a server and a client in this
 * process on loopback, sends frames of 1 byte to 20 KB (bigger than a datagram, so they are split and rejoined),
 * and checks that every frame comes back intact.
 */
public final class LengthPrefixedPipeline {
    /** Largest frame the decoder accepts; a longer length field closes the connection instead of buffering. */
    static final int MAX_FRAME_BYTES = 1 << 20;

    private LengthPrefixedPipeline() {
    }

    /** The codecs every channel of this example gets, server and client alike. */
    static void addCodecs(final ChannelPipeline p) {
        p.addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4)); // strip the length on the way in
        p.addLast(new LengthFieldPrepender(4)); // prepend it on the way out
        p.addLast(new StringDecoder(StandardCharsets.UTF_8));
        p.addLast(new StringEncoder(StandardCharsets.UTF_8));
    }

    /**
     * Starts a server whose children echo every string frame, sends {@code frames} from a client and returns the
     * frames that came back, in order, waiting at most {@code timeoutMs}.
     */
    public static List<String> roundTrip(final EventLoopGroup group, final List<String> frames, final long timeoutMs)
            throws Exception {
        final RudpConfig serverConfig = ExampleSupport.serverConfig(true);
        final Channel server = RudpServer.bind(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                serverConfig, new ChannelInitializer<RudpChannel>() {
                    @Override
                    protected void initChannel(final RudpChannel ch) {
                        addCodecs(ch.pipeline());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final String frame) {
                                ctx.writeAndFlush(frame); // a String: StringEncoder and the prepender frame it
                            }
                        });
                    }
                }).sync().channel();
        try {
            final List<String> replies = Collections.synchronizedList(new ArrayList<>());
            final CompletableFuture<Void> allBack = new CompletableFuture<>();
            final RudpChannel client = RudpClient.connect(group,
                    ExampleSupport.clientConfig(true, serverConfig.identity().publicKey()),
                    (InetSocketAddress) server.localAddress(), "server", new ChannelInitializer<RudpChannel>() {
                        @Override
                        protected void initChannel(final RudpChannel ch) {
                            addCodecs(ch.pipeline());
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<String>() {
                                @Override
                                protected void channelRead0(final ChannelHandlerContext ctx, final String frame) {
                                    replies.add(frame);
                                    if (replies.size() == frames.size()) {
                                        allBack.complete(null);
                                    }
                                }
                            });
                        }
                    }).get(timeoutMs, TimeUnit.MILLISECONDS);
            for (String f : frames) {
                client.write(f);
            }
            client.flush();
            allBack.get(timeoutMs, TimeUnit.MILLISECONDS);
            client.close();
            client.closeReason().await(timeoutMs);
            return new ArrayList<>(replies);
        } finally {
            server.close().sync();
        }
    }

    /** @return {@code count} frames of growing size (1 byte up to 20 KB), each one different */
    public static List<String> sampleFrames(final int count) {
        final List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final int size = 1 + (int) ((long) i * 20_000 / Math.max(1, count - 1));
            final StringBuilder b = new StringBuilder(size);
            for (int k = 0; k < size; k++) {
                b.append((char) ('a' + (i + k) % 26));
            }
            frames.add(b.toString());
        }
        return frames;
    }

    public static void main(final String[] args) throws Exception {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        final List<String> frames = sampleFrames(count);
        final EventLoopGroup group = ExampleSupport.newGroup();
        try {
            final long startNs = System.nanoTime();
            final List<String> back = roundTrip(group, frames, 30_000);
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            System.out.println(back.size() + " frames echoed in " + ms + " ms, "
                    + (back.equals(frames) ? "all intact" : "DIFFERENT"));
            if (!back.equals(frames)) {
                System.exit(1);
            }
        } finally {
            group.shutdownGracefully();
        }
    }
}
