package io.shoal.peer.node;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The announce loop of one torrent: {@code started} when it starts, then every interval (the tracker's, or the
 * configured override), {@code completed} when the last piece verifies, {@code stopped} on stop. Every tracker of
 * the metainfo (all tiers) and the node's extra trackers is asked; peers from any reply are offered to the torrent.
 * Blocking tracker calls run on the node's announce thread, never on the event loop.
 */
final class TrackerAnnouncer {
    private static final Logger LOG = Logger.getLogger(TrackerAnnouncer.class.getName());
    private static final int DEFAULT_INTERVAL_SEC = 1800;
    private static final int MIN_INTERVAL_SEC = 1;
    private static final int NUMWANT = 50;
    private static final long STOP_WAIT_MS = 3000;

    private final PeerNode node;
    private final Torrent torrent;
    private final List<URI> trackers;
    private final int key = ThreadLocalRandom.current().nextInt();
    private ScheduledFuture<?> next;
    private volatile boolean stopped;

    TrackerAnnouncer(PeerNode node, Torrent torrent, Metainfo metainfo) {
        this.node = node;
        this.torrent = torrent;
        Set<URI> all = new LinkedHashSet<>();
        for (List<String> tier : metainfo.announceTiers()) {
            for (String url : tier) {
                try {
                    all.add(URI.create(url));
                } catch (IllegalArgumentException e) {
                    LOG.fine(() -> "bad tracker URL in metainfo: " + url);
                }
            }
        }
        all.addAll(node.config().extraTrackers());
        this.trackers = new ArrayList<>(all);
    }

    void start() {
        if (!trackers.isEmpty()) {
            node.announceExecutor().execute(() -> announceAndReschedule(AnnounceEvent.STARTED));
        }
    }

    void completed() {
        if (!trackers.isEmpty()) {
            node.announceExecutor().execute(() -> announceOnce(AnnounceEvent.COMPLETED));
        }
    }

    /** Cancels the loop and tells the trackers we left (bounded wait; skipped after a failure). */
    void stop(boolean failed) {
        stopped = true;
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
        }
        if (trackers.isEmpty() || failed || node.announceExecutor().isShutdown()) {
            return;
        }
        try {
            node.announceExecutor().submit(() -> announceOnce(AnnounceEvent.STOPPED))
                .get(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "stopped announce did not finish", e);
        }
    }

    private void announceAndReschedule(AnnounceEvent event) {
        if (stopped) {
            return;
        }
        int interval = announceOnce(event);
        int override = node.config().announceIntervalOverrideSec();
        int delaySec = Math.max(MIN_INTERVAL_SEC, override > 0 ? override : interval);
        synchronized (this) {
            if (!stopped) {
                next = node.announceExecutor().schedule(() -> announceAndReschedule(AnnounceEvent.NONE), delaySec,
                    TimeUnit.SECONDS);
            }
        }
    }

    /** @return the smallest interval any tracker asked for (the default when none answered) */
    private int announceOnce(AnnounceEvent event) {
        int interval = DEFAULT_INTERVAL_SEC;
        for (URI tracker : trackers) {
            AnnounceRequest r = request(event);
            try {
                AnnounceResult result = node.announce(tracker, r);
                interval = Math.min(interval, Math.max(MIN_INTERVAL_SEC, result.intervalSec()));
                List<InetSocketAddress> peers = result.peers();
                if (event != AnnounceEvent.STOPPED && !peers.isEmpty()) {
                    node.loop().execute(() -> peers.forEach(torrent::offerPeer));
                }
            } catch (IOException | RuntimeException e) {
                LOG.fine(() -> "announce to " + tracker + " failed: " + e.getMessage());
            }
        }
        return interval;
    }

    private AnnounceRequest request(AnnounceEvent event) {
        AnnounceRequest r = new AnnounceRequest();
        System.arraycopy(torrent.infoHash().bytes(), 0, r.infoHash, 0, 20);
        System.arraycopy(node.peerId(), 0, r.peerId, 0, 20);
        r.port = node.port();
        TransferStatus s = torrent.status();
        r.uploaded = s.uploadedBytes();
        r.downloaded = s.downloadedBytes();
        r.left = s.totalBytes() - s.verifiedBytes();
        r.event = event;
        r.numwant = event == AnnounceEvent.STOPPED ? 0 : NUMWANT;
        r.key = key;
        return r;
    }
}
