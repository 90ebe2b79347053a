package io.shoal.netem;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy with Toxiproxy's behaviour: each accepted connection dials the upstream (then, not at creation), and
 * the bytes each way pass that stream's toxics ({@link StreamPipe}). Disabling or stopping closes every connection.
 */
final class TcpImpairmentProxy implements ProxyTransport {
    /** Connections beyond this many are closed at once (the proxy never grows without bound). */
    static final int MAX_CONNECTIONS = 1024;

    private final String name;
    private final EventLoopGroup group;
    private final ToxicChain toxics;
    private final long seed;
    private final Set<TcpLink> links = ConcurrentHashMap.newKeySet();
    private Channel listener;
    private volatile ProxyAddress upstream;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    TcpImpairmentProxy(String name, EventLoopGroup group, ToxicChain toxics, long seed) {
        this.name = name;
        this.group = group;
        this.toxics = toxics;
        this.seed = seed;
    }

    @Override
    public InetSocketAddress start(InetSocketAddress listen, ProxyAddress upstreamAddress) {
        this.upstream = upstreamAddress;
        ChannelFuture bind = new ServerBootstrap().group(group).channel(Transports.serverSocket())
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel client) {
                    dial(client);
                }
            }).bind(listen).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new ApiException(500, "listen tcp " + ProxyAddress.format(false, listen) + ": bind: "
                + bind.cause().getMessage());
        }
        listener = bind.channel();
        return (InetSocketAddress) listener.localAddress();
    }

    private void dial(SocketChannel client) {
        if (links.size() >= MAX_CONNECTIONS) {
            refused.incrementAndGet();
            client.close();
            return;
        }
        long linkSeed = seed ^ (accepted.incrementAndGet() * 0x9E3779B97F4A7C15L);
        InetSocketAddress target = upstream.resolve();
        ChannelFuture connect = new Bootstrap().group(client.eventLoop()).channel(Transports.socket())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(target);
        // The link starts reading the client now: epoll may read the client's data (and its FIN) before the
        // upstream answers, so the upstream pipe holds it until the connection is up.
        TcpLink link = new TcpLink(this, toxics, client, connect.channel(), linkSeed);
        links.add(link);
        link.start();
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                link.upstreamConnected();
            } else {
                link.close(); // Toxiproxy closes the client when the upstream cannot be dialled
            }
        });
    }

    void linkClosed(TcpLink link) {
        links.remove(link);
    }

    @Override
    public void changeUpstream(ProxyAddress newUpstream) {
        upstream = newUpstream;
        closeLinks();
    }

    @Override
    public void stop() {
        if (listener == null) {
            return;
        }
        listener.close().awaitUninterruptibly();
        closeLinks();
    }

    private void closeLinks() {
        List<TcpLink> open = new ArrayList<>(links);
        for (TcpLink link : open) {
            link.eventLoop().execute(link::close);
        }
    }

    @Override
    public void toxicsChanged() {
        for (TcpLink link : links) {
            link.eventLoop().execute(link::toxicsChanged);
        }
    }

    @Override
    public ProxyStats stats() {
        return new ProxyStats(ProxyStats.ZERO, ProxyStats.ZERO, accepted.get(), 0, refused.get());
    }

    @Override
    public String toString() {
        return "TcpImpairmentProxy{" + name + '}';
    }
}
