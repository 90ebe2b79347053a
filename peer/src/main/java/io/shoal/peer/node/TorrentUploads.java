package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.shoal.peer.swarm.RateEstimator;
import io.shoal.peer.swarm.RateLimiter;
import io.shoal.peer.swarm.TorrentSwarm;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The serving side of one {@link Torrent}: the per-torrent upload bucket (under the node's global one), reading blocks
 * from the {@link PieceStore}, and counting what left. Confined to the event loop.
 */
final class TorrentUploads {
    private final PieceStore store;
    private final TorrentSwarm swarm;
    private final TorrentStatusBoard board;
    private final UploadTamper tamper;
    private final RateLimiter limiter;
    private final RateEstimator rate;
    private final Consumer<IOException> onStorageError;

    TorrentUploads(PieceStore store, TorrentSwarm swarm, TorrentStatusBoard board, UploadTamper tamper,
                   RateLimiter globalLimiter, long rateWindowNs, Consumer<IOException> onStorageError) {
        this.store = store;
        this.swarm = swarm;
        this.board = board;
        this.tamper = tamper;
        this.limiter = RateLimits.upload(0, globalLimiter);
        this.rate = new RateEstimator(rateWindowNs);
        this.onStorageError = onStorageError;
    }

    /** This torrent's own bucket; change its rate on the event loop only. */
    RateLimiter limiter() {
        return limiter;
    }

    /** Nanoseconds to wait before {@code bytes} may be sent under the upload limits; 0 = send now (taken). */
    long waitNs(int bytes) {
        long now = System.nanoTime();
        return limiter.tryAcquire(bytes, now) ? 0 : Math.max(1, limiter.nextAvailableNs(bytes, now) - now);
    }

    /**
     * Appends a block to {@code out} (which has room for it); false after a storage error (the torrent fails, and
     * {@code out}'s writer index is unspecified).
     */
    boolean readBlock(ByteBuf out, int piece, int begin, int length) {
        int start = out.writerIndex();
        try {
            store.read(out, piece, begin, length);
        } catch (IOException e) {
            onStorageError.accept(e);
            return false;
        }
        if (tamper != UploadTamper.NONE) {
            tamper.beforeSend(piece, begin, out.slice(start, length));
        }
        return true;
    }

    void onBlockSent(int id, int bytes) {
        long now = System.nanoTime();
        swarm.onBlockSent(id, bytes, now);
        rate.onBytes(bytes, now);
        board.uploaded(bytes);
    }

    long bytesPerSecond(long nowNs) {
        return rate.bytesPerSecond(nowNs);
    }
}
