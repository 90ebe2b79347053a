package io.shoal.peer.metadata;

import io.shoal.peer.metainfo.InfoHash;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Fetches one torrent's info dictionary with BEP 9, sans-IO: the caller tells it which peers offer metadata (from
 * their BEP 10 handshakes), asks {@link #nextRequest} what to send each, feeds what comes back to
 * {@link #onMessage}, and reads {@link #metadata()} once {@link #isComplete()}.
 *
 * <p>Bounds and checks: a size outside 1..{@link MetadataCodec#MAX_METADATA_BYTES} makes a peer unusable; a peer
 * whose size disagrees with the one being assembled is not asked; a data message is taken only for a piece this peer
 * was asked for and still missing, with the agreed total size and the exact piece length; at most
 * {@link #MAX_OUTSTANDING_PER_PEER} requests are outstanding per peer; a request not answered within the timeout is
 * given to another peer. When every piece is in, the SHA-1 of the whole must equal the info hash. If not, everything
 * is discarded and the fetch starts over: a sole sender is banned; when several peers sent pieces the liar is not
 * known, so from then on each attempt takes every piece from one peer, which is banned if that attempt fails too.
 * A peer lying about the size cannot wedge it: the size is adopted again from a remaining peer.
 *
 * <p>Peers are small {@code int} ids chosen by the caller. Not thread-safe: one owner thread.
 */
public final class MetadataFetcher {
    /** Most requests outstanding to one peer. */
    public static final int MAX_OUTSTANDING_PER_PEER = 4;

    /** What one input did. */
    public enum Outcome {
        /** A piece was stored; more are missing. */
        ACCEPTED,
        /** The last piece was stored and the whole matched the info hash: {@link #metadata()} is ready. */
        COMPLETE,
        /** The last piece was stored but the whole did not match; its senders are banned and the fetch restarts. */
        HASH_MISMATCH,
        /** The peer refused the piece; it is asked of another peer. */
        REJECTED,
        /** Not asked for, already held, wrong size, from a banned or unknown peer: ignored. */
        IGNORED
    }

    private static final int NONE = Integer.MIN_VALUE;

    private final InfoHash infoHash;
    private final long requestTimeoutNs;
    private final Map<Integer, PeerState> peers = new HashMap<>();
    private long totalBytes = -1;
    private byte[] buffer;
    private BitSet received = new BitSet();
    private int[] requestedFrom = new int[0];
    private long[] deadlineNs = new long[0];
    private int[] sentBy = new int[0];
    private boolean complete;
    private int hashFailures;
    /** After a mismatch with several senders: one peer per attempt ({@link #soloPeer}, NONE until one asks). */
    private boolean soloMode;
    private int soloPeer = NONE;

    /** A fetcher for the info dictionary whose SHA-1 is {@code infoHash}. */
    public MetadataFetcher(InfoHash infoHash, long requestTimeoutNs) {
        if (requestTimeoutNs <= 0) {
            throw new IllegalArgumentException("requestTimeoutNs " + requestTimeoutNs);
        }
        this.infoHash = infoHash;
        this.requestTimeoutNs = requestTimeoutNs;
    }

    /**
     * A peer said (BEP 10 {@code metadata_size}) it can serve {@code metadataSize} bytes.
     *
     * @return whether the peer will be asked for pieces
     */
    public boolean addPeer(int peer, long metadataSize) {
        boolean sane = metadataSize > 0 && metadataSize <= MetadataCodec.MAX_METADATA_BYTES;
        peers.put(peer, new PeerState(sane ? metadataSize : -1));
        if (sane && totalBytes < 0 && !complete) {
            allocate(metadataSize);
        }
        return sane && metadataSize == totalBytes;
    }

    /** The peer is gone: its outstanding requests go back to the pool. */
    public void removePeer(int peer) {
        PeerState p = peers.remove(peer);
        if (p != null) {
            unassign(peer);
        }
        if (soloPeer == peer) {
            soloPeer = NONE;
        }
    }

    /**
     * The next metadata piece to ask {@code peer} for (encode a {@link MetadataMessage.Request} and send it), or -1
     * when there is nothing to ask it now. Marks the piece requested until an answer or {@code nowNs} + timeout.
     */
    public int nextRequest(int peer, long nowNs) {
        PeerState p = peers.get(peer);
        if (complete || p == null || p.banned || p.sizeBytes != totalBytes || totalBytes < 0
            || p.outstanding >= MAX_OUTSTANDING_PER_PEER) {
            return -1;
        }
        if (soloMode) {
            soloPeer = soloPeer == NONE ? peer : soloPeer;
            if (soloPeer != peer) {
                return -1;
            }
        }
        expire(nowNs);
        int count = requestedFrom.length;
        for (int piece = received.nextClearBit(0); piece < count; piece = received.nextClearBit(piece + 1)) {
            if (requestedFrom[piece] == NONE && !p.rejected.get(piece)) {
                requestedFrom[piece] = peer;
                deadlineNs[piece] = nowNs + requestTimeoutNs;
                p.asked.set(piece);
                p.outstanding++;
                return piece;
            }
        }
        return -1;
    }

    /** An answer from {@code peer}: a data or reject message (requests are the server's business). */
    public Outcome onMessage(int peer, MetadataMessage message, long nowNs) {
        PeerState p = peers.get(peer);
        int piece = message.piece();
        if (complete || p == null || p.banned || totalBytes < 0 || piece >= requestedFrom.length
            || !p.asked.get(piece) || received.get(piece)) {
            return Outcome.IGNORED;
        }
        if (message instanceof MetadataMessage.Reject) {
            p.rejected.set(piece);
            if (requestedFrom[piece] == peer) {
                release(piece);
            }
            return Outcome.REJECTED;
        }
        if (!(message instanceof MetadataMessage.Data data) || data.totalSize() != totalBytes
            || data.data().length != pieceLength(piece)) {
            // Not asked of this peer again; whoever holds the request keeps it.
            p.rejected.set(piece);
            if (requestedFrom[piece] == peer) {
                release(piece);
            }
            return Outcome.IGNORED;
        }
        release(piece);
        System.arraycopy(data.data(), 0, buffer, piece * MetadataCodec.PIECE_BYTES, data.data().length);
        received.set(piece);
        sentBy[piece] = peer;
        if (received.cardinality() < requestedFrom.length) {
            return Outcome.ACCEPTED;
        }
        if (InfoHash.sha1Of(buffer, 0, buffer.length).equals(infoHash)) {
            complete = true;
            return Outcome.COMPLETE;
        }
        hashFailures++;
        if (Arrays.stream(sentBy).distinct().count() == 1) {
            PeerState liar = peers.get(sentBy[0]);
            if (liar != null) {
                liar.banned = true;
            }
        } else {
            soloMode = true;
        }
        soloPeer = NONE;
        restart();
        return Outcome.HASH_MISMATCH;
    }

    /** True once the whole info dictionary arrived and matched the info hash. */
    public boolean isComplete() {
        return complete;
    }

    /** The verified info dictionary's bytes (a copy); only when {@link #isComplete()}. */
    public byte[] metadata() {
        if (!complete) {
            throw new IllegalStateException("metadata incomplete");
        }
        return buffer.clone();
    }

    /** Size being assembled, or -1 while no usable peer said. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Pieces received so far. */
    public int piecesReceived() {
        return received.cardinality();
    }

    /** Times the assembled whole failed the info hash check. */
    public int hashFailures() {
        return hashFailures;
    }

    /** True when some known, unbanned peer could still be asked for the metadata being assembled. */
    public boolean hasUsablePeer() {
        return peers.values().stream().anyMatch(p -> !p.banned && p.sizeBytes > 0 && p.sizeBytes == totalBytes);
    }

    private void expire(long nowNs) {
        for (int piece = 0; piece < requestedFrom.length; piece++) {
            if (requestedFrom[piece] != NONE && nowNs - deadlineNs[piece] >= 0) {
                release(piece);
            }
        }
    }

    /** The piece is no longer outstanding at whoever held its request. */
    private void release(int piece) {
        PeerState owner = requestedFrom[piece] == NONE ? null : peers.get(requestedFrom[piece]);
        if (owner != null) {
            owner.outstanding--;
        }
        requestedFrom[piece] = NONE;
    }

    private void unassign(int peer) {
        for (int piece = 0; piece < requestedFrom.length; piece++) {
            if (requestedFrom[piece] == peer) {
                requestedFrom[piece] = NONE;
            }
        }
    }

    /** Discards everything and adopts the size of the first unbanned peer that offers one. */
    private void restart() {
        totalBytes = -1;
        buffer = null;
        for (PeerState p : peers.values()) {
            p.outstanding = 0;
            p.asked.clear();
            p.rejected.clear();
        }
        peers.values().stream().filter(p -> !p.banned && p.sizeBytes > 0).findFirst()
            .ifPresentOrElse(p -> allocate(p.sizeBytes), () -> allocate(0));
    }

    private void allocate(long bytes) {
        int pieces = MetadataCodec.pieceCount(bytes);
        totalBytes = bytes == 0 ? -1 : bytes;
        buffer = new byte[(int) bytes];
        received = new BitSet(pieces);
        requestedFrom = new int[pieces];
        Arrays.fill(requestedFrom, NONE);
        deadlineNs = new long[pieces];
        sentBy = new int[pieces];
        Arrays.fill(sentBy, NONE);
    }

    private int pieceLength(int piece) {
        long start = (long) piece * MetadataCodec.PIECE_BYTES;
        return (int) Math.min(MetadataCodec.PIECE_BYTES, totalBytes - start);
    }

    private static final class PeerState {
        final long sizeBytes;
        final BitSet asked = new BitSet();
        final BitSet rejected = new BitSet();
        int outstanding;
        boolean banned;

        PeerState(long sizeBytes) {
            this.sizeBytes = sizeBytes;
        }
    }
}
