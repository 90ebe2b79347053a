package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.registry.AnnounceReply;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.AnnounceRequest;
import io.shoal.tracker.wire.UdpTrackerCodec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The UDP tracker (BEP 15) as a sans-IO state machine: one datagram and the time in, at most one reply (and, for a
 * rendezvous introduction, one notice to a third party) out. What it answers:
 * <ul>
 *   <li>connect: a {@link ConnectionIdCookies cookie} id in a reply the size of the request;</li>
 *   <li>announce, scrape and shoal's introduce, only under a valid id for the source address; anything else under
 *       a bad or expired id is dropped silently (an error reply would answer a spoofed source);</li>
 *   <li>malformed requests under a valid id get an error reply no larger than the request; shorter than 16 bytes,
 *       dropped. Every drop is counted in {@link TrackerStats}.</li>
 * </ul>
 * Single-threaded: it shares the registry's event loop.
 */
public final class UdpTrackerService {
    public static final int DROP = 0;
    public static final int REPLY = 1;
    /** Send the reply, then {@link #writeNotice} to {@link #noticeTarget()}. */
    public static final int REPLY_AND_NOTICE = 2;
    /** Largest reply: peers are capped so it fits one 1500-byte Ethernet datagram over IPv6 (1500 - 40 - 8). */
    public static final int MAX_REPLY_BYTES = 1452;

    private final SwarmRegistry registry;
    private final ConnectionIdCookies cookies;
    private final SourceRateLimiter limiter;
    private final RendezvousService rendezvous;
    private final int intervalSec;
    private final TrackerStats stats;
    private final AnnounceRequest request = new AnnounceRequest();
    private final AnnounceReply counts = new AnnounceReply();
    private final CompactPeerWriter peers = new CompactPeerWriter();
    private final byte[] hash = new byte[20];

    public UdpTrackerService(SwarmRegistry registry, ConnectionIdCookies cookies, SourceRateLimiter limiter,
                             RendezvousService rendezvous, int intervalSec, TrackerStats stats) {
        this.registry = registry;
        this.cookies = cookies;
        this.limiter = limiter;
        this.rendezvous = rendezvous;
        this.intervalSec = intervalSec;
        this.stats = stats;
    }

    /**
     * Handles one datagram from {@code sender}; writes any reply into {@code reply}. Never throws on bad input.
     *
     * @return {@link #DROP}, {@link #REPLY} or {@link #REPLY_AND_NOTICE}
     */
    public int handle(ByteBuf in, InetSocketAddress sender, int nowSec, ByteBuf reply) {
        int action = UdpTrackerCodec.requestAction(in);
        if (action < 0) {
            stats.udpMalformed++;
            return DROP;
        }
        InetAddress ip = sender.getAddress();
        if (!limiter.tryAcquire(ip.hashCode(), nowSec)) {
            stats.udpRateLimited++;
            return DROP;
        }
        int tx = UdpTrackerCodec.requestTransactionId(in);
        if (action == UdpTrackerCodec.ACTION_CONNECT) {
            if (!UdpTrackerCodec.isConnectRequest(in)) {
                stats.udpMalformed++;
                return DROP;
            }
            stats.udpConnects++;
            UdpTrackerCodec.writeConnectResponse(reply, tx, cookies.issue(ip, nowSec));
            return REPLY;
        }
        if (!cookies.verify(UdpTrackerCodec.requestConnectionId(in), ip, nowSec)) {
            stats.udpBadConnectionId++;
            return DROP;
        }
        switch (action) {
            case UdpTrackerCodec.ACTION_ANNOUNCE:
                return announce(in, sender, ip, tx, nowSec, reply);
            case UdpTrackerCodec.ACTION_SCRAPE:
                return scrape(in, tx, reply);
            case UdpTrackerCodec.ACTION_INTRODUCE:
                return rendezvous.introduce(in, sender, tx, nowSec, reply);
            default:
                return error(reply, tx, "unknown action");
        }
    }

    /** The notice of the last {@link #REPLY_AND_NOTICE}: destination address in bits 16-47, port in bits 0-15. */
    public long noticeTarget() {
        return rendezvous.noticeTarget();
    }

    /** Writes the notice of the last {@link #REPLY_AND_NOTICE}. */
    public void writeNotice(ByteBuf out) {
        rendezvous.writeNotice(out);
    }

    private int announce(ByteBuf in, InetSocketAddress sender, InetAddress ip, int tx, int nowSec, ByteBuf reply) {
        request.reset();
        if (!UdpTrackerCodec.readAnnounce(in, request)) {
            stats.udpMalformed++;
            return error(reply, tx, "malformed announce");
        }
        boolean v4 = ip instanceof Inet4Address;
        // The IP field is ignored (BEP 15 allows it; honouring it would let anyone list a victim's address).
        if (v4) {
            request.ipv4 = ip.hashCode();
        } else {
            request.ipv6 = ip.getAddress();
        }
        request.sourcePort = sender.getPort();
        int peerBytes = v4 ? 6 : 18;
        int maxPeers = (MAX_REPLY_BYTES - UdpTrackerCodec.ANNOUNCE_RESPONSE_HEADER_BYTES) / peerBytes;
        if (request.numwant < 0 || request.numwant > maxPeers) {
            request.numwant = request.numwant < 0 ? Math.min(maxPeers, registry.limits().defaultNumwant()) : maxPeers;
        }
        int headerAt = reply.writerIndex();
        reply.writerIndex(headerAt + UdpTrackerCodec.ANNOUNCE_RESPONSE_HEADER_BYTES);
        int status = registry.announce(request, nowSec, v4, !v4, peers.target(reply, reply), counts);
        if (status != SwarmRegistry.OK) {
            reply.writerIndex(headerAt);
            stats.notAllowed++;
            return error(reply, tx, "info hash not allowed");
        }
        int end = reply.writerIndex();
        reply.writerIndex(headerAt);
        UdpTrackerCodec.writeAnnounceHeader(reply, tx, intervalSec, counts.leechers, counts.seeders);
        reply.writerIndex(end);
        stats.udpAnnounces++;
        return REPLY;
    }

    private int scrape(ByteBuf in, int tx, ByteBuf reply) {
        int n = UdpTrackerCodec.scrapeHashCount(in);
        if (n < 0) {
            stats.udpMalformed++;
            return error(reply, tx, "malformed scrape");
        }
        UdpTrackerCodec.writeScrapeHeader(reply, tx);
        for (int i = 0; i < n; i++) {
            UdpTrackerCodec.readScrapeHash(in, i, hash);
            if (registry.scrape(hash, counts) != SwarmRegistry.OK) {
                stats.notAllowed++;
            }
            // Unknown or disallowed hashes scrape as zeros, as opentracker does.
            UdpTrackerCodec.writeScrapeEntry(reply, counts.seeders, counts.completed, counts.leechers);
        }
        stats.udpScrapes++;
        return REPLY;
    }

    private int error(ByteBuf reply, int tx, String message) {
        return errorReply(stats, reply, tx, message);
    }

    /** Writes a BEP 15 error reply and counts it; returns {@link #REPLY}. */
    static int errorReply(TrackerStats stats, ByteBuf reply, int tx, String message) {
        UdpTrackerCodec.writeError(reply, tx, message);
        stats.udpErrorsSent++;
        return REPLY;
    }
}
