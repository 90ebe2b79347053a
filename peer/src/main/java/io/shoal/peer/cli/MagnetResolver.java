package io.shoal.peer.cli;

import io.shoal.peer.metadata.MetadataDownloader;
import io.shoal.peer.metadata.MetadataTorrent;
import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a magnet link into a {@link Metainfo}: peers from its {@code x.pe} entries, {@code --peer} and one announce
 * to each of its trackers, then the info dictionary from those peers with BEP 9 ({@link MetadataDownloader}).
 */
final class MagnetResolver {
    private static final Duration TRACKER_TIMEOUT = Duration.ofSeconds(5);
    private static final int NUMWANT = 50;

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

    /** Fetches and checks the info dictionary; the failure message is one line. */
    Metainfo fetch(Duration timeout) throws CliFailure, InterruptedException {
        byte[] info;
        try {
            info = MetadataDownloader.fetch(magnet.infoHash(), peerId, peers(), timeout);
        } catch (IOException e) {
            throw new CliFailure("cannot get the torrent's metadata: " + TransferWatch.oneLine(e));
        }
        try {
            return MetadataTorrent.toMetainfo(info, magnet.trackers());
        } catch (MetainfoException e) {
            throw new CliFailure("the metadata peers sent is unusable: " + e.getMessage());
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
