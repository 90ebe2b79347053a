package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A torrent inside a {@link PeerNode}. All methods are thread-safe and never block on the network. */
public interface TorrentHandle {
    /** The torrent's metainfo. */
    Metainfo metainfo();

    /** A consistent snapshot, cheap enough to poll once a second. */
    TransferStatus status();

    /** Completes when every piece is verified on disk; completes exceptionally on a fatal storage error. */
    CompletableFuture<Void> completion();

    /** Connects to a peer: secure rudp first with a short timeout, then TCP. Duplicates are dropped. */
    void addPeer(InetSocketAddress address);

    /**
     * Limits this torrent's upload, bytes per second (0 = unlimited, the default), under the node's global limit. Takes
     * effect for blocks sent from now on.
     *
     * @throws IllegalArgumentException when negative
     */
    void setUploadLimit(long bytesPerSec);

    /**
     * Limits this torrent's download, bytes per second (0 = unlimited), under the node's global limit: requests are
     * paced, so blocks already requested still arrive.
     *
     * @throws IllegalArgumentException when negative
     */
    void setDownloadLimit(long bytesPerSec);

    /** Stops the torrent: closes its connections, announces stopped, writes resume data. Idempotent. */
    void stop();
}
