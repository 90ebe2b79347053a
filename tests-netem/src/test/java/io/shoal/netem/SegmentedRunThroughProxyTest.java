package io.shoal.netem;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sender's {@code UDP_SEGMENT} run reaches the proxy as one {@code UDP_GRO} read and must leave it as the same
 * datagrams (sizes, order, bytes), not as one large datagram, with and without a delay line in between (the delay
 * line's release writes equal-sized datagrams back as a segmented run). Skipped where epoll or the offloads are
 * missing.
 */
@Timeout(60)
class SegmentedRunThroughProxyTest {
    private static final int SEGMENT = 100;
    private static final int FULL_SEGMENTS = 10;
    private static final int LAST = 40;

    @Test
    void shouldForwardEachDatagramOfASegmentedRunWhenHeldByLatency() throws Exception {
        forwardRun(true);
    }

    @Test
    void shouldForwardEachDatagramOfASegmentedRunWhenPassedStraightThrough() throws Exception {
        forwardRun(false);
    }

    private static void forwardRun(boolean latency) throws Exception {
        assumeTrue(Transports.SEGMENTATION_OFFLOAD, "needs epoll with UDP_SEGMENT/UDP_GRO");
        EventLoopGroup group = Transports.newGroup(1, "segmented-sender");
        try (ApiServer server = ApiServer.shoal(); UdpPeer upstream = new UdpPeer()) {
            Proxy p = server.client().createProxy("udp", "udp://127.0.0.1:0", upstream.udpUrl());
            if (latency) {
                p.toxics().latency("lat", ToxicDirection.UPSTREAM, 5);
            }
            InetSocketAddress proxyAddress = ApiServer.listenAddress(p.getListen());
            Channel sender = Transports.datagramBootstrap(group.next()).handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            ByteBuf run = sender.alloc().directBuffer();
            for (int i = 0; i <= FULL_SEGMENTS; i++) {
                int size = i < FULL_SEGMENTS ? SEGMENT : LAST;
                run.writeLong(i);
                for (int b = Long.BYTES; b < size; b++) {
                    run.writeByte(i + b);
                }
            }
            sender.writeAndFlush(new SegmentedDatagramPacket(run, SEGMENT, proxyAddress)).sync();
            for (int i = 0; i <= FULL_SEGMENTS; i++) {
                UdpPeer.Received r = upstream.receive(5_000);
                assertNotNull(r, "datagram " + i + " did not arrive");
                assertEquals(i, r.seq(), "order");
                assertEquals(i < FULL_SEGMENTS ? SEGMENT : LAST, r.payload().length, "size of datagram " + i);
                for (int b = Long.BYTES; b < r.payload().length; b++) {
                    assertEquals((byte) (i + b), r.payload()[b], "byte " + b + " of datagram " + i);
                }
            }
            assertEquals(FULL_SEGMENTS + 1, server.netem().proxies().get("udp").stats().upstream().offered());
            sender.close().sync();
        } finally {
            Future<?> f = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            f.syncUninterruptibly();
        }
    }
}
