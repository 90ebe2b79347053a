package io.shoal.peer.node;

/**
 * The published figures of one torrent: written on the node's event loop, read by {@link TorrentHandle#status()} from
 * any thread. Each field is volatile; a snapshot reads them one after another, which is consistent enough for a
 * progress display polled once a second (counters only grow).
 */
final class TorrentStatusBoard {
    private final long totalBytes;
    private final int piecesTotal;
    private volatile TorrentState state = TorrentState.CHECKING;
    private volatile String error;
    private volatile long verifiedBytes;
    private volatile int piecesDone;
    private volatile long downloadedBytes;
    private volatile long uploadedBytes;
    private volatile long downloadRate;
    private volatile long uploadRate;
    private volatile int peersTcp;
    private volatile int peersRudp;
    private volatile int hashFailures;

    TorrentStatusBoard(long totalBytes, int piecesTotal) {
        this.totalBytes = totalBytes;
        this.piecesTotal = piecesTotal;
    }

    TransferStatus snapshot() {
        int tcp = peersTcp;
        int rudp = peersRudp;
        return new TransferStatus(state, totalBytes, verifiedBytes, piecesDone, piecesTotal, downloadedBytes,
            uploadedBytes, downloadRate, uploadRate, tcp + rudp, tcp, rudp, hashFailures, error);
    }

    TorrentState state() {
        return state;
    }

    void state(TorrentState s) {
        state = s;
    }

    void failed(String reason) {
        error = reason;
        state = TorrentState.FAILED;
    }

    void pieceVerified(long bytes) {
        verifiedBytes += bytes;
        piecesDone++;
    }

    void hashFailed() {
        hashFailures++;
    }

    void downloaded(long bytes) {
        downloadedBytes += bytes;
    }

    void uploaded(long bytes) {
        uploadedBytes += bytes;
    }

    void rates(long down, long up) {
        downloadRate = down;
        uploadRate = up;
    }

    void peerAdded(PeerTransport t) {
        if (t == PeerTransport.TCP) {
            peersTcp++;
        } else {
            peersRudp++;
        }
    }

    void peerRemoved(PeerTransport t) {
        if (t == PeerTransport.TCP) {
            peersTcp--;
        } else {
            peersRudp--;
        }
    }

    int peersConnected() {
        return peersTcp + peersRudp;
    }

    long verifiedBytes() {
        return verifiedBytes;
    }

    long downloadedBytes() {
        return downloadedBytes;
    }

    long uploadedBytes() {
        return uploadedBytes;
    }
}
