package io.shoal.peer.node;

import io.shoal.peer.swarm.BlockLayout;
import io.shoal.peer.swarm.TorrentSwarm;
import io.shoal.peer.wire.PeerMessage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The connected peers of one torrent by swarm id (small ints, reused), with one connection per remote peer id, and
 * the swarm's {@link TorrentSwarm.Outbox}: its decisions become wire messages on the right session. Confined to the
 * node's event loop.
 */
final class PeerTable implements TorrentSwarm.Outbox {
    private final BlockLayout layout;
    private final byte[] ourPeerId;
    private final PeerSession[] sessions;
    /** Per swarm id: round-trip probes for connections whose transport measures none. */
    private final RttProbe[] probes;
    private final BitSet used;
    private final Map<ByteBuffer, PeerSession> byPeerId = new HashMap<>();

    PeerTable(BlockLayout layout, int capacity, byte[] ourPeerId) {
        this.layout = layout;
        this.ourPeerId = ourPeerId.clone();
        this.sessions = new PeerSession[capacity];
        this.probes = new RttProbe[capacity];
        this.used = new BitSet(capacity);
    }

    int capacity() {
        return sessions.length;
    }

    /**
     * A swarm id for a session whose handshake named {@code remotePeerId}, or -1: ourselves, no free id, or a second
     * connection to the same peer that loses the tie-break. Both ends keep the connection opened by the lower peer
     * id, so a simultaneous open leaves exactly one; the losing existing connection is closed here.
     */
    int reserve(PeerSession session, byte[] remotePeerId) {
        if (Arrays.equals(remotePeerId, ourPeerId)) {
            return -1;
        }
        ByteBuffer key = ByteBuffer.wrap(remotePeerId);
        PeerSession existing = byPeerId.get(key);
        if (existing != null) {
            if (Arrays.compareUnsigned(initiator(session), initiator(existing)) >= 0) {
                return -1;
            }
            existing.close();
        }
        int id = used.nextClearBit(0);
        if (id >= sessions.length) {
            return -1;
        }
        used.set(id);
        sessions[id] = session;
        probes[id] = new RttProbe();
        byPeerId.put(key, session);
        return id;
    }

    /** The session holding {@code id}, or null. */
    PeerSession session(int id) {
        return id < 0 || id >= sessions.length ? null : sessions[id];
    }

    /** The round-trip probe of {@code id}, or null when free. */
    RttProbe probe(int id) {
        return sessions[id] == null ? null : probes[id];
    }

    private byte[] initiator(PeerSession s) {
        return s.outgoing() ? ourPeerId : s.remotePeerId();
    }

    /** Frees {@code id} if {@code session} still holds it; true when it did. */
    boolean release(int id, PeerSession session) {
        if (id < 0 || id >= sessions.length || sessions[id] != session) {
            return false;
        }
        sessions[id] = null;
        probes[id] = null;
        used.clear(id);
        byPeerId.remove(ByteBuffer.wrap(session.remotePeerId()), session);
        return true;
    }

    void closeAll() {
        for (PeerSession s : sessions) {
            if (s != null) {
                s.close();
            }
        }
    }

    // ---- the swarm's decisions -------------------------------------------------------------------------------------

    @Override
    public void sendHave(int peer, int piece) {
        write(peer, new PeerMessage.Have(piece));
    }

    @Override
    public void sendInterested(int peer, boolean interested) {
        write(peer, interested ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
    }

    @Override
    public void sendChoke(int peer, boolean choke) {
        PeerSession s = sessions[peer];
        if (s != null) {
            s.choke(choke);
        }
    }

    @Override
    public void sendRequest(int peer, int block) {
        RttProbe probe = probes[peer];
        if (probe != null && probe.armed()) {
            probe.onRequestSent(block, System.nanoTime());
        }
        write(peer, new PeerMessage.Request(layout.pieceOf(block), layout.beginOf(block), layout.lengthOf(block)));
    }

    @Override
    public void sendCancel(int peer, int block) {
        write(peer, new PeerMessage.Cancel(layout.pieceOf(block), layout.beginOf(block), layout.lengthOf(block)));
    }

    @Override
    public void disconnect(int peer) {
        PeerSession s = sessions[peer];
        if (s != null) {
            s.close();
        }
    }

    private void write(int peer, PeerMessage m) {
        PeerSession s = sessions[peer];
        if (s != null) {
            s.write(m);
        }
    }
}
