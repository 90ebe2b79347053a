package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One running peer: a TCP listener and a UDP (secure rudp) socket on the SAME port number, as libtorrent does with
 * uTP, event loops, and the torrents it serves. Thread-safe facade; all torrent state lives on its event loop.
 */
public final class PeerNode implements AutoCloseable {

    private PeerNode() {
    }

    /** Binds TCP and UDP on {@code config.port()} (0 = one ephemeral number free on both) and starts the loops. */
    public static PeerNode start(final PeerNodeConfig config) throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The bound port number, the same for TCP and UDP. */
    public int port() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Our 20-byte peer id, {@code "-SH0100-"} followed by 12 random bytes; a copy. */
    public byte[] peerId() {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Adds a torrent stored under {@code directory}: verifies existing data (resume data first), then downloads what
     * is missing (unless {@code seedOnly}) and seeds.
     */
    public TorrentHandle add(final Metainfo metainfo, final Path directory, final boolean seedOnly)
            throws IOException {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The torrents added so far (stopped ones included), in insertion order. */
    public List<TorrentHandle> torrents() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Stops all torrents (resume data kept) and closes the sockets. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("skeleton");
    }
}
