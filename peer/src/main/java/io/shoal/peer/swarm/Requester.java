package io.shoal.peer.swarm;

/**
 * The asking half of a {@link TorrentSwarm}: whether we are interested in each peer, and the block requests (and
 * cancels) we send it. It tops a peer's requests up to its {@link RequestPipeline} depth, under the optional download
 * {@link RateLimiter}, and cancels the duplicates endgame leaves and the requests that outlive their timeout; everything
 * leaves through the swarm's {@link TorrentSwarm.Outbox}.
 *
 * <p>Methods take the peer's {@link PeerLink}, or null for a peer that is not connected (then nothing happens). Confined
 * to the swarm's thread: one scratch array serves every call, so nothing is allocated per request.
 */
final class Requester {
    private final BlockLayout layout;
    private final PiecePicker picker;
    private final Choker choker;
    private final RateLimiter downloadLimiter;
    private final TorrentSwarm.Outbox outbox;
    private final int[] picked = new int[256];
    private boolean downloading = true;

    /** @param downloadLimiter bounds the rate at which blocks are requested, or {@code null} for no limit */
    Requester(BlockLayout layout, PiecePicker picker, Choker choker, RateLimiter downloadLimiter,
              TorrentSwarm.Outbox outbox) {
        this.layout = layout;
        this.picker = picker;
        this.choker = choker;
        this.downloadLimiter = downloadLimiter;
        this.outbox = outbox;
    }

    /** Whether we fetch missing pieces; a seed-only torrent never shows interest nor requests. */
    void downloading(boolean enabled) {
        downloading = enabled;
    }

    /** Tells the peer (and the choker) when our interest in it changed; a peer we turn interested in is asked now. */
    void updateInterest(PeerLink c, long nowNs) {
        if (c == null) {
            return;
        }
        boolean want = downloading && picker.isInteresting(c.peer);
        if (want == c.amInterested) {
            return;
        }
        c.amInterested = want;
        choker.onWeAreInterested(c.peer, want, nowNs);
        outbox.sendInterested(c.peer, want);
        if (want) {
            fill(c, nowNs);
        }
    }

    /** Tops up the requests outstanding to the peer to its pipeline depth (and the download limit). */
    void fill(PeerLink c, long nowNs) {
        if (c == null || c.peerChoking || !c.amInterested || !downloading || picker.isFinished()) {
            return;
        }
        int room = Math.min(picked.length, c.pipeline.room(picker.outstanding(c.peer), nowNs));
        if (downloadLimiter != null) {
            // Tokens are taken per block before picking; a pick that comes back short wastes a little of the budget.
            int allowed = 0;
            while (allowed < room && downloadLimiter.tryAcquire(layout.blockBytes(), nowNs)) {
                allowed++;
            }
            room = allowed;
        }
        if (room <= 0) {
            return;
        }
        int n = picker.pick(c.peer, c.pipeline.speedClass(nowNs), room, nowNs, picked);
        for (int i = 0; i < n; i++) {
            outbox.sendRequest(c.peer, picked[i]);
        }
    }

    /** After {@link PiecePicker#onBlockReceived}: cancels {@code block} at the other peers endgame asked for it. */
    void cancelDuplicates(int block) {
        for (int i = 0; i < picker.cancelCount(); i++) {
            outbox.sendCancel(picker.cancelPeer(i), block);
        }
    }

    /** Gives up (with a cancel each) the peer's requests older than its pipeline's request timeout. */
    void expire(PeerLink c, long nowNs) {
        if (c == null) {
            return;
        }
        long timeoutNs = c.pipeline.requestTimeoutNs(picker.outstanding(c.peer), nowNs);
        int n = picker.expireRequests(c.peer, nowNs - timeoutNs, picked);
        for (int i = 0; i < n; i++) {
            outbox.sendCancel(c.peer, picked[i]);
        }
    }
}
