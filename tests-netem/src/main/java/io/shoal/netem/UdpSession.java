package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shoal.rudp.netty.SegmentedDatagramWriter;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client of a UDP proxy: the client's address and the proxy's own upstream socket for it, connected to the
 * upstream, whose ephemeral port is the source the upstream sees. Rebinding replaces that socket, so the upstream
 * sees a new source port, as after a NAT rebinding. Datagrams sent before the socket is connected wait in a small
 * bounded queue. Event-loop only.
 */
final class UdpSession {
    /** Datagrams held while the upstream socket connects; more are dropped and counted. */
    static final int MAX_PENDING = 256;

    final InetSocketAddress client;
    Channel upstream;
    /** Where {@link #upstream} connects to (the address its writer's runs are addressed to). */
    InetSocketAddress upstreamTarget;
    /** Writes to {@link #upstream}, joining a released batch's equal-sized datagrams into UDP_SEGMENT runs. */
    final SegmentedDatagramWriter writer = new SegmentedDatagramWriter();
    boolean connected;
    long rebindEpoch;
    long lastActiveNs;
    boolean dirty;
    final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    /** The release time of each datagram in {@link #pending}, in the same order (boxed: only while connecting). */
    final ArrayDeque<Long> pendingDueNs = new ArrayDeque<>();

    UdpSession(InetSocketAddress client, long rebindEpoch, long nowNs) {
        this.client = client;
        this.rebindEpoch = rebindEpoch;
        this.lastActiveNs = nowNs;
    }

    /** Releases queued datagrams and a run being built (closing or rebinding). */
    void dropPending() {
        writer.discard();
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            b.release();
        }
        pendingDueNs.clear();
    }
}
