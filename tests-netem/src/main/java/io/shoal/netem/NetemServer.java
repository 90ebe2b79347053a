package io.shoal.netem;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The impairment proxy server: a Toxiproxy-compatible HTTP API plus the TCP and UDP proxies it creates. Start one
 * in-process on port 0 and drive it with {@code new ToxiproxyClient(host, port)}, or use {@link #proxies()} directly.
 *
 * <p>Threads: one event loop serves the API; proxies share a separate group ({@code proxyThreads} loops), each proxy
 * and all its sessions confined to one loop, so the data path needs no locks. Random choices come from
 * {@code seed} and each proxy's name, so a scenario replays.
 */
public final class NetemServer implements AutoCloseable {
    /** Largest API request body accepted; larger ones get 413 in the JSON error shape. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final EventLoopGroup apiGroup;
    /** The rate {@link #warmUp} sends at: issue 4's, the highest the proxy is measured at. */
    public static final int WARM_UP_PPS = 100_000;
    private final EventLoopGroup proxyGroup;
    private final Channel apiChannel;
    private final ProxyRegistry registry;

    private NetemServer(EventLoopGroup apiGroup, EventLoopGroup proxyGroup, Channel apiChannel,
                        ProxyRegistry registry) {
        this.apiGroup = apiGroup;
        this.proxyGroup = proxyGroup;
        this.apiChannel = apiChannel;
        this.registry = registry;
    }

    /**
     * Renices every proxy event loop's thread to {@code nice} (starting the threads now if they have not run yet);
     * below 0 needs root or CAP_SYS_NICE. Returns what could not be done, empty when every loop was reniced.
     */
    public List<String> niceProxyLoops(int nice) throws InterruptedException {
        List<String> problems = new CopyOnWriteArrayList<>();
        for (EventExecutor loop : proxyGroup) {
            loop.submit(() -> ThreadPlacement.niceSelf(nice, problems)).sync();
        }
        return problems;
    }

    /**
     * Runs datagrams through this server's own UDP path at {@link #WARM_UP_PPS} until the JIT has compiled it, for at
     * most {@code maxMs} ({@link JitWarmUp}); then, with {@code -Dshoal.netem.idleCompiler=true}, moves the
     * optimizing compiler's thread to the idle class ({@link ThreadPlacement#idleCompiler}). Call it before pointing
     * traffic at the server: the rounds use temporary proxies and a load of their own. Returns a one-line account.
     */
    public String warmUp(long maxMs) throws InterruptedException {
        String outcome = JitWarmUp.run(this, WARM_UP_PPS, maxMs).toString();
        if (ThreadPlacement.IDLE_COMPILER) {
            List<String> problems = new ArrayList<>();
            ThreadPlacement.idleCompiler(problems);
            outcome += problems.isEmpty() ? "; C2 compiler in the idle class" : "; " + problems;
        }
        return outcome;
    }

    /** Starts the API on {@code api} with one proxy event loop. */
    public static NetemServer start(InetSocketAddress api, long seed) throws IOException {
        return start(api, seed, 1);
    }

    /**
     * Starts the API on {@code api} (port 0 picks one; see {@link #apiAddress()}).
     *
     * @throws IOException when the API address cannot be bound, with the address in the message
     */
    public static NetemServer start(InetSocketAddress api, long seed, int proxyThreads) throws IOException {
        EventLoopGroup apiGroup = Transports.newGroup(1, "netem-api");
        EventLoopGroup proxyGroup = Transports.newGroup(proxyThreads, "netem-proxy");
        ProxyRegistry registry = new ProxyRegistry(proxyGroup, seed);
        try {
            Channel ch = new ServerBootstrap().group(apiGroup).channel(Transports.serverSocket())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new JsonErrorAggregator(),
                            new ApiHandler(registry));
                    }
                }).bind(api).sync().channel();
            return new NetemServer(apiGroup, proxyGroup, ch, registry);
        } catch (Exception e) {
            apiGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            proxyGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on " + api + ": " + e.getMessage(), e);
        }
    }

    /** The address the API is bound to. */
    public InetSocketAddress apiAddress() {
        return (InetSocketAddress) apiChannel.localAddress();
    }

    /** The proxies, for in-process use without HTTP. */
    public ProxyRegistry proxies() {
        return registry;
    }

    /** Stops the API and every proxy, then the event loops. */
    @Override
    public void close() {
        apiChannel.close().syncUninterruptibly();
        registry.closeAll();
        apiGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        proxyGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** An aggregator whose "too large" answer has Toxiproxy's error shape. */
    private static final class JsonErrorAggregator extends HttpObjectAggregator {
        JsonErrorAggregator() {
            super(MAX_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            var response = ApiHandler.error(new ApiException(413, "request body too large"));
            ByteBuf content = response.content();
            response.headers().setInt("Content-Length", content.readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
