package io.shoal.peer.cli;

import io.shoal.peer.metadata.MetadataUnavailableException;
import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.node.PeerNode;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.tracker.client.AnnounceResult;
import io.shoal.tracker.client.HttpTrackerClient;
import io.shoal.tracker.client.UdpTrackerClient;
import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Turns a magnet link into a {@link Metainfo}: peers from its {@code x.pe} entries, {@code --peer} and one announce
 * to each of its trackers, then the torrent added to the node from them ({@link PeerNode#addMagnet}: BEP 9 over its own connections).
 */
final class MagnetResolver {
    private static final Duration TRACKER_TIMEOUT = Duration.ofSeconds(5);
    private static final int NUMWANT = 50;
    private static final long GRACE_MS = 5000;

    private final MagnetLink magnet;
    private final byte[] peerId;
    private final int ownPort;
    private final Consumer<String> warn;
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();

    MagnetResolver(MagnetLink magnet, byte[] peerId, int ownPort, List<InetSocketAddress> extraPeers,
                   Consumer<String> warn) {
        this.magnet = magnet;
        this.peerId = peerId.clone();
        this.ownPort = ownPort;
        this.warn = warn;
        for (String pe : magnet.peers()) {
            try {
                peers.add(new CliConverters.HostPort().convert(pe));
            } catch (RuntimeException e) {
                warn.accept("ignoring x.pe '" + pe + "': " + e.getMessage());
            }
        }
        peers.addAll(extraPeers);
    }

    /** Every peer known so far (x.pe, --peer, tracker replies), without ourselves. */
    List<InetSocketAddress> peers() {
        return List.copyOf(peers);
    }

    /** Asks each tracker once for peers; a tracker that fails is a warning, not an error. */
    void askTrackers() {
        AnnounceRequest r = new AnnounceRequest();
        System.arraycopy(magnet.infoHash().bytes(), 0, r.infoHash, 0, 20);
        System.arraycopy(peerId, 0, r.peerId, 0, 20);
        r.port = ownPort;
        r.left = 1;
        r.numwant = NUMWANT;
        r.event = AnnounceEvent.STARTED;
        for (String tracker : magnet.trackers()) {
            try {
                URI uri = URI.create(tracker);
                AnnounceResult result = announce(uri, r);
                result.peers().stream().filter(p -> !isSelf(p)).forEach(peers::add);
            } catch (IOException | IllegalArgumentException e) {
                warn.accept("tracker " + tracker + ": " + TransferWatch.oneLine(e));
            }
        }
    }

    /**
     * Adds the magnet to {@code node}: the info dictionary is fetched with BEP 9 over the node's own connections (rudp
     * or TCP) from every peer known, then the download starts with the same peers. The failure message is one line.
     */
    TorrentHandle addTo(PeerNode node, Path directory, Duration timeout)
        throws CliFailure, IOException, InterruptedException {
        try {
            // The node's own deadline fails the future; the margin only guards against a node closed under us.
            return node.addMagnet(magnet, peers(), directory, false, timeout)
                .get(timeout.toMillis() + GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliFailure("cannot get the torrent's metadata: no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                : e.getCause();
            if (cause instanceof MetadataUnavailableException) {
                throw new CliFailure("cannot get the torrent's metadata: " + TransferWatch.oneLine(cause));
            }
            if (cause instanceof MetainfoException) {
                throw new CliFailure("the metadata peers sent is unusable: " + cause.getMessage());
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static AnnounceResult announce(URI uri, AnnounceRequest r) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("udp")) {
            try (UdpTrackerClient udp = UdpTrackerClient.open(1000, 2)) {
                return udp.announce(uri, r);
            }
        }
        return new HttpTrackerClient(TRACKER_TIMEOUT).announce(uri, r);
    }

    private boolean isSelf(InetSocketAddress p) {
        if (p.getPort() != ownPort) {
            return false;
        }
        InetAddress a = p.getAddress();
        try {
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
