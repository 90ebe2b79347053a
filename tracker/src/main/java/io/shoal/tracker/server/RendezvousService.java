package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.UdpTrackerCodec;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * shoal's rendezvous extension to BEP 15 (actions {@link UdpTrackerCodec#ACTION_INTRODUCE} and
 * {@link UdpTrackerCodec#ACTION_INTRODUCED}), for hole punching. A peer that announced over UDP from its shoal socket
 * has its public endpoint (the source address the tracker saw) stored beside its entry. It may then ask, from that
 * same socket and under a valid connection id, to be introduced to another peer of the swarm, named as the announce
 * reply listed it. If both sides are known over UDP, the tracker answers the asker with the target's public endpoint
 * and, in the same event-loop pass, sends the target the asker's public endpoint, so both can start punching at once.
 *
 * <p>Amplification: the reply (34 bytes) is smaller than the request (44); the notice goes only to an endpoint that
 * itself passed the cookie check when it announced; introductions are rate-limited per source address. IPv4 only.
 * Sans-IO and single-threaded, like the rest of the UDP service.
 */
public final class RendezvousService {
    private final SwarmRegistry registry;
    private final SourceRateLimiter limiter;
    private final TrackerStats stats;
    private final byte[] hash = new byte[20];
    private long noticeTarget = -1;
    private int askerIpv4;
    private int askerPort;

    /** @param limiter introductions allowed per source address (a few per second is plenty for punching) */
    public RendezvousService(SwarmRegistry registry, SourceRateLimiter limiter, TrackerStats stats) {
        this.registry = registry;
        this.limiter = limiter;
        this.stats = stats;
    }

    /**
     * Handles an introduce request whose connection id was already verified.
     *
     * @return {@link UdpTrackerService#REPLY_AND_NOTICE} on success, {@link UdpTrackerService#REPLY} with an error
     *     reply, or {@link UdpTrackerService#DROP} when rate-limited
     */
    int introduce(ByteBuf in, InetSocketAddress sender, int tx, int nowSec, ByteBuf reply) {
        noticeTarget = -1;
        if (in.readableBytes() < UdpTrackerCodec.INTRODUCE_REQUEST_BYTES) {
            stats.udpMalformed++;
            return UdpTrackerService.errorReply(stats, reply, tx, "malformed introduce");
        }
        if (!(sender.getAddress() instanceof Inet4Address)) {
            return UdpTrackerService.errorReply(stats, reply, tx, "rendezvous is IPv4 only");
        }
        int ip = sender.getAddress().hashCode();
        if (!limiter.tryAcquire(ip, nowSec)) {
            stats.udpRateLimited++;
            return UdpTrackerService.DROP;
        }
        int at = in.readerIndex();
        in.getBytes(at + 16, hash);
        int targetIp = in.getInt(at + 36);
        int targetPort = in.getUnsignedShort(at + 40);
        int ownPort = in.getUnsignedShort(at + 42);
        long self = registry.udpEndpoint(hash, ip, ownPort, nowSec);
        long expectedSelf = (ip & 0xFFFF_FFFFL) << 16 | sender.getPort();
        if (self != expectedSelf) {
            return UdpTrackerService.errorReply(stats, reply, tx, "announce over UDP from this socket first");
        }
        long target = registry.udpEndpoint(hash, targetIp, targetPort, nowSec);
        if (target < 0) {
            return UdpTrackerService.errorReply(stats, reply, tx, "peer not in swarm or never announced over UDP");
        }
        UdpTrackerCodec.writeIntroduction(reply, UdpTrackerCodec.ACTION_INTRODUCE, tx, hash, (int) (target >>> 16),
            (int) target & 0xFFFF);
        noticeTarget = target;
        askerIpv4 = ip;
        askerPort = sender.getPort();
        stats.udpIntroductions++;
        return UdpTrackerService.REPLY_AND_NOTICE;
    }

    /** Where the pending notice goes (address in bits 16-47, port in bits 0-15), or -1. */
    long noticeTarget() {
        return noticeTarget;
    }

    /** Writes the pending notice: the asker's public endpoint, transaction id 0. */
    void writeNotice(ByteBuf out) {
        UdpTrackerCodec.writeIntroduction(out, UdpTrackerCodec.ACTION_INTRODUCED, 0, hash, askerIpv4, askerPort);
    }
}
