package io.shoal.peer.node;

import io.netty.channel.ChannelHandler;
import io.shoal.peer.swarm.PeerLink;
import io.shoal.peer.swarm.PiecePicker;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.swarm.TorrentSwarm;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.rudp.netty.channel.RudpChannel;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one {@link Torrent}: which addresses to dial (with {@link PeerCandidates}' backoff, never a
 * banned one, up to the peer capacity), sessions joining and leaving the swarm, and round-trip times fed to each
 * peer's request pipeline. RTT comes from the transport where it measures one (rudp: the KCP engine's smoothed RTT,
 * read once a tick) and from {@link RttProbe} on TCP (the time of an unqueued request). Confined to the event loop.
 */
final class TorrentConnections implements PeerDialer.Target {
    private final PeerNode node;
    private final Torrent torrent;
    private final TorrentSwarm swarm;
    private final PeerTable peers;
    private final TorrentStatusBoard board;
    private final PeerCandidates candidates;
    /** Metadata connections waiting for the torrent's check to end before they become sessions. */
    private final java.util.List<MetadataSession> adoptions = new java.util.ArrayList<>();
    /** By swarm id: the listen address an incoming peer named in its BEP 10 handshake (redialled when it drops). */
    private final InetSocketAddress[] listenAddresses;

    TorrentConnections(PeerNode node, Torrent torrent, TorrentSwarm swarm, PeerTable peers,
                       TorrentStatusBoard board) {
        this.node = node;
        this.torrent = torrent;
        this.swarm = swarm;
        this.peers = peers;
        this.board = board;
        this.candidates = new PeerCandidates(TimeUnit.MILLISECONDS.toNanos(node.config().redialInitialMs()),
            node.config().redialMaxFailures());
        this.listenAddresses = new InetSocketAddress[peers.capacity()];
    }

    // ---- dialling --------------------------------------------------------------------------------------------------

    void offer(InetSocketAddress address) {
        if (!node.isSelf(address)) {
            candidates.offer(address, System.nanoTime());
        }
        dialMore();
    }

    /** Dials due candidates until connections plus dials in flight reach the capacity. */
    void dialMore() {
        if (!torrent.running()) {
            return;
        }
        long now = System.nanoTime();
        InetSocketAddress address;
        while (board.peersConnected() + node.dialsInFlight(this) < peers.capacity()
            && (address = candidates.next(now, this::isBanned)) != null) {
            node.dial(this, address);
        }
    }

    private boolean isBanned(InetSocketAddress address) {
        return address.getAddress() != null && swarm.badPeers().isBanned(address.getAddress());
    }

    @Override
    public ChannelHandler sessionInitializer(PeerTransport transport) {
        return node.sessionInitializer(torrent, true, transport);
    }

    @Override
    public void dialFailed(InetSocketAddress address) {
        candidates.dialFailed(address, System.nanoTime());
    }

    @Override
    public void dialConnected(InetSocketAddress address) {
        candidates.connected(address, System.nanoTime());
    }

    /** An outgoing connection closed (whether or not it joined the swarm): redial after the backoff. */
    @Override
    public void connectionEnded(InetSocketAddress address) {
        candidates.dropped(address, System.nanoTime());
    }

    /**
     * A magnet's metadata connection to {@code session}'s peer becomes one of ours (now, or once the check ends): its
     * address counts as connected, so it is not dialled again while the connection lasts, and redialled after it drops.
     */
    void adopt(MetadataSession session) {
        InetSocketAddress address = session.remoteAddress();
        candidates.connected(address, System.nanoTime());
        session.closeFuture().addListener(x -> connectionEnded(address));
        if (torrent.running()) {
            session.handOver(node, torrent);
        } else if (torrent.checking()) {
            adoptions.add(session);
        } else {
            session.hangUp(null); // stopped or failed before the handover
        }
    }

    /** The check has ended: waiting metadata connections become sessions. */
    void adoptPending() {
        for (MetadataSession s : adoptions) {
            s.handOver(node, torrent);
        }
        adoptions.clear();
    }

    PeerCandidates candidates() {
        return candidates;
    }

    // ---- sessions --------------------------------------------------------------------------------------------------

    /** Our opening on a new connection: what we hold, as bitfield, have-all or have-none (or super-seeding's). */
    void sendInitialPieces(PeerSession session, int id, boolean fast) {
        PiecePicker picker = swarm.picker();
        if (swarm.hidesPieces()) {
            // BEP 16: claim nothing; the swarm reveals pieces by HAVE once this opening is out.
            if (fast) {
                session.write(PeerMessage.HaveNone.INSTANCE);
            }
        } else if (fast && picker.isFinished()) {
            session.write(PeerMessage.HaveAll.INSTANCE);
        } else if (fast && picker.haveCount() == 0) {
            session.write(PeerMessage.HaveNone.INSTANCE);
        } else if (picker.haveCount() > 0) {
            int pieces = torrent.layout().pieceCount();
            session.write(new PeerMessage.Bitfield(Bitfields.toWire(swarm.havePieces(), pieces)));
        }
        swarm.onOpeningSent(id, System.nanoTime());
    }

    /**
     * A connection taken over from a magnet's metadata phase already sent its opening (have-none with BEP 6, else
     * nothing), so what we hold goes out as HAVEs, which are allowed at any time.
     */
    void sendPiecesAfterOpening(PeerSession session, int id) {
        if (!swarm.hidesPieces()) {
            BitSet have = swarm.havePieces();
            for (int p = have.nextSetBit(0); p >= 0; p = have.nextSetBit(p + 1)) {
                session.write(new PeerMessage.Have(p));
            }
        }
        swarm.onOpeningSent(id, System.nanoTime());
    }

    /** A handshake completed: the peer's swarm id, or -1 to refuse (self, duplicate loser, full, banned, stopped). */
    int attach(PeerSession session, byte[] remotePeerId) {
        if (!torrent.running()) {
            return -1;
        }
        int id = peers.reserve(session, remotePeerId);
        if (id < 0) {
            return -1;
        }
        if (!swarm.connect(id, session.remoteAddress().getAddress(), System.nanoTime())) {
            peers.release(id, session); // banned address
            return -1;
        }
        board.peerAdded(session.transport());
        return id;
    }

    void detach(PeerSession session, int id) {
        if (peers.release(id, session)) {
            swarm.onPeerGone(id);
            board.peerRemoved(session.transport());
            InetSocketAddress listen = listenAddresses[id];
            listenAddresses[id] = null;
            if (listen != null) {
                candidates.dropped(listen, System.nanoTime());
            }
            node.loop().execute(this::dialMore);
        }
    }

    /** An incoming peer's listen port: its address becomes a candidate, busy while this connection lasts. */
    void onExtendedHandshake(int id, ExtendedHandshake handshake) {
        PeerSession session = peers.session(id);
        if (session == null || session.outgoing() || handshake.tcpPort() <= 0 || listenAddresses[id] != null) {
            return;
        }
        InetSocketAddress listen = new InetSocketAddress(session.remoteAddress().getAddress(), handshake.tcpPort());
        if (!node.isSelf(listen)) {
            listenAddresses[id] = listen;
            candidates.connected(listen, System.nanoTime());
        }
    }

    // ---- round-trip times ------------------------------------------------------------------------------------------

    /** A block arrived from {@code id} (already counted by the swarm): a TCP probe sample, and rearm when idle. */
    void onBlock(int id, int block, long nowNs) {
        RttProbe probe = peers.probe(id);
        PeerSession session = peers.session(id);
        if (probe == null || session.transport() != PeerTransport.TCP) {
            return;
        }
        long rttNs = probe.onBlock(block, nowNs);
        PeerLink link = swarm.link(id);
        if (rttNs > 0 && link != null) {
            link.pipeline().onRttSample(rttNs);
        }
        rearmIfIdle(id);
    }

    /** Nothing is outstanding at {@code id}: its next request is unqueued and may be timed. */
    void rearmIfIdle(int id) {
        RttProbe probe = peers.probe(id);
        if (probe != null && swarm.picker().outstanding(id) == 0) {
            probe.arm();
        }
    }

    /** Once a tick: each rudp connection's smoothed RTT from its KCP engine goes to the peer's pipeline. */
    void sampleTransportRtt() {
        for (int id = 0; id < peers.capacity(); id++) {
            PeerSession s = peers.session(id);
            PeerLink link = swarm.link(id);
            int srttMs = s == null || link == null || !s.channel().isActive() ? 0
                : s.channel() instanceof RudpChannel rudp ? rudp.stats().kcp().srttMs()
                : s.channel() instanceof RawRudpChannel raw ? raw.stats().srttMs() : 0;
            if (srttMs > 0) {
                link.pipeline().onSmoothedRtt(TimeUnit.MILLISECONDS.toNanos(srttMs));
            }
        }
    }

    /**
     * Each connected peer's measured smoothed RTT as its pipeline sees it, by swarm id (0 for free ids and for
     * pipelines still on the initial guess); for tests.
     */
    long[] pipelineSrttNs() {
        long[] out = new long[peers.capacity()];
        for (int id = 0; id < out.length; id++) {
            PeerLink link = swarm.link(id);
            boolean measured = peers.session(id) != null && link != null && link.pipeline().rttMeasured();
            out[id] = measured ? link.pipeline().srttNs() : 0;
        }
        return out;
    }

    void closeAll() {
        for (MetadataSession s : adoptions) {
            s.hangUp(null);
        }
        adoptions.clear();
        peers.closeAll();
        candidates.clear();
    }
}
