package io.shoal.peer.node;

/** Life-cycle state of a torrent inside a {@link PeerNode}. */
public enum TorrentState {
    /** Existing data is being verified (resume data first, then hashing). */
    CHECKING,
    /** Some pieces are missing and being fetched. */
    DOWNLOADING,
    /** Every piece is verified; only uploading. */
    SEEDING,
    /** Stopped by the user or by node close; resume data written. */
    STOPPED,
    /** A fatal error (storage); see {@link TransferStatus#error()}. */
    FAILED
}
