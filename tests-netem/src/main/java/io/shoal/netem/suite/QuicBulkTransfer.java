package io.shoal.netem.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One bulk transfer over QUIC with Netty's codec (quiche and BoringSSL): a server bound on loopback hashes one
 * bidirectional stream's bytes; a client connects to {@code target} (the server itself, or a netem proxy in front of
 * it) and writes the payload in 64 KiB chunks as fast as the stream takes them. The comparison's settings: BBR
 * ({@code -Dshoal.quic.cc=CUBIC} or {@code RENO} for the others quiche has), 16 MiB connection and stream windows,
 * TLS 1.3 with a self-signed certificate the client does not check. The server's address is
 * {@link #serverAddress()}; each instance runs one transfer and owns its threads until {@link #close()}.
 */
public final class QuicBulkTransfer implements AutoCloseable {
    private static final String PROTOCOL = "shoal-bulk";
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long WINDOW_BYTES = 16L << 20;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final QuicCongestionControlAlgorithm CONGESTION_CONTROL = QuicCongestionControlAlgorithm.valueOf(
        System.getProperty("shoal.quic.cc", "BBR").toUpperCase(java.util.Locale.ROOT));

    /** What arrived: the SHA-256 of the stream's bytes when the server had {@code total} of them, and the time. */
    public record Result(byte[] sha256, long elapsedNs, long clientSentBytes, long clientLostPackets) {
    }

    /** Epoll where it loads: its timers (quiche's loss and pacing timeouts) are precise, NIO's round to a millisecond. */
    private static final boolean EPOLL = Epoll.isAvailable();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("quic-bulk",
        true), EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final Channel server;
    private final CompletableFuture<byte[]> received = new CompletableFuture<>();
    private final long total;
    private volatile long firstWriteNs;
    private volatile long doneNs;

    /**
     * Why QUIC cannot run here (its native library did not load, or the certificate could not be made), or null.
     */
    public static String unavailableReason() {
        try {
            if (!Quic.isAvailable()) {
                return "Netty's native QUIC library did not load: " + Quic.unavailabilityCause();
            }
            return null;
        } catch (LinkageError e) {
            return "Netty's QUIC codec is not on the class path: " + e;
        }
    }

    /** Starts the server for a transfer of {@code total} bytes; {@code midway} runs once a third has arrived. */
    public QuicBulkTransfer(long total, Runnable midway) throws Exception {
        this.total = total;
        QuicSslContext serverTls = QuicSslContextBuilder.forServer(QuicCertificate.keyManagers(),
            QuicCertificate.PASSWORD).applicationProtocols(PROTOCOL).build();
        ChannelHandler codec = limits(new QuicServerCodecBuilder().sslContext(serverTls)
            .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
            .handler(new ChannelInboundHandlerAdapter())
            .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel ch) {
                    ch.pipeline().addLast(new Sink(midway));
                }
            })).build();
        server = datagramBootstrap().handler(codec).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync().channel();
    }

    public InetSocketAddress serverAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Sends {@code data} to {@code target} on one stream and waits up to {@code timeoutMs} for all of it to arrive. */
    public Result run(InetSocketAddress target, byte[] data, long timeoutMs) throws Exception {
        QuicSslContext clientTls = QuicSslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE).applicationProtocols(PROTOCOL).build();
        ChannelHandler codec = limits(new QuicClientCodecBuilder().sslContext(clientTls)).build();
        Channel client = datagramBootstrap().handler(codec)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            QuicChannel quic = QuicChannel.newBootstrap(client).streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(target).connect().get(timeoutMs, TimeUnit.MILLISECONDS);
            try {
                quic.createStream(QuicStreamType.BIDIRECTIONAL, new Source(data)).sync();
                byte[] sha = received.get(timeoutMs, TimeUnit.MILLISECONDS);
                QuicConnectionStats stats = quic.collectStats().get(timeoutMs, TimeUnit.MILLISECONDS);
                return new Result(sha, doneNs - firstWriteNs, stats.sentBytes(), stats.lost());
            } finally {
                quic.close().await(1, TimeUnit.SECONDS);
            }
        } finally {
            client.close().syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static <B extends QuicCodecBuilder<B>> B limits(B builder) {
        return builder.maxIdleTimeout(30, TimeUnit.SECONDS)
            .congestionControlAlgorithm(CONGESTION_CONTROL)
            .initialMaxData(WINDOW_BYTES)
            .initialMaxStreamDataBidirectionalLocal(WINDOW_BYTES)
            .initialMaxStreamDataBidirectionalRemote(WINDOW_BYTES)
            .initialMaxStreamsBidirectional(4);
    }

    private Bootstrap datagramBootstrap() {
        return new Bootstrap().group(group).channel(EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
    }

    /** Client side: writes the payload while the stream is writable, then ends the stream once the last write went. */
    private final class Source extends ChannelInboundHandlerAdapter {
        private final byte[] data;
        private int offset;

        Source(byte[] data) {
            this.data = data;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            firstWriteNs = System.nanoTime();
            feed(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            feed(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void feed(ChannelHandlerContext ctx) {
            while (offset < data.length && ctx.channel().isWritable()) {
                int n = Math.min(CHUNK_BYTES, data.length - offset);
                ByteBuf chunk = ctx.alloc().directBuffer(n).writeBytes(data, offset, n);
                offset += n;
                if (offset == data.length) {
                    // End the stream only after the last write went: shutting down first cuts it short.
                    ctx.writeAndFlush(chunk).addListener(f -> ((QuicStreamChannel) ctx.channel()).shutdownOutput());
                    return;
                }
                ctx.write(chunk, ctx.voidPromise());
            }
            ctx.flush();
        }
    }

    /** Server side: hashes the stream's bytes; done when {@code total} arrived (more is an integrity failure). */
    private final class Sink extends ChannelInboundHandlerAdapter {
        private final Runnable midway;
        private final MessageDigest digest;
        private final byte[] copy = new byte[CHUNK_BYTES];
        private long count;

        Sink(Runnable midway) {
            this.midway = midway;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                count += b.readableBytes();
                while (b.isReadable()) {
                    int n = Math.min(copy.length, b.readableBytes());
                    b.readBytes(copy, 0, n);
                    digest.update(copy, 0, n);
                }
            } finally {
                b.release();
            }
            if (count >= total / 3) {
                midway.run();
            }
            if (count > total) {
                received.completeExceptionally(new IntegrityException("the server received " + count
                    + " bytes, the client sent " + total));
            } else if (count == total && !received.isDone()) {
                doneNs = System.nanoTime();
                received.complete(digest.digest());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            received.completeExceptionally(cause);
            ctx.close();
        }
    }
}
