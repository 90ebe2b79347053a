package io.shoal.peer.node;

/**
 * A consistent snapshot of one torrent's transfer. Byte counts are payload bytes (piece data), rates are bytes per
 * second averaged over the last few seconds. {@code error} is null unless {@code state} is {@link TorrentState#FAILED}.
 */
public record TransferStatus(TorrentState state, long totalBytes, long verifiedBytes, int piecesDone, int piecesTotal,
                             long downloadedBytes, long uploadedBytes, long downloadRate, long uploadRate,
                             int peersConnected, int peersTcp, int peersRudp, int hashFailures, String error) {

    /** Verified fraction in [0, 1]; 1 for an empty torrent. */
    public double fraction() {
        return totalBytes <= 0 ? 1.0 : Math.min(1.0, (double) verifiedBytes / totalBytes);
    }
}
