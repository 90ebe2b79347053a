package io.shoal.peer.cli;

import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.node.PeerNodeConfig;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.rudp.perf.Units;
import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code shoal send PATH}: makes a torrent of a file or folder, seeds it, and prints a magnet link (with the tracker
 * and this peer's address) for {@code shoal get}. Without {@code --tracker} it runs a tracker of its own on this
 * machine. Runs until Ctrl-C.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Share a file or folder: make its torrent, seed it, print a magnet link. Runs until Ctrl-C.")
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH",
        description = "The file or folder to share; several from one folder are shared as that folder's torrent.")
    List<Path> paths;

    @Option(names = {"-t", "--tracker"}, paramLabel = "URL",
        description = "Announce to this tracker (default: run one here, on --tracker-port).")
    String tracker;

    @Option(names = "--tracker-port", paramLabel = "PORT", defaultValue = "0", converter = CliConverters.Port.class,
        description = "Port of the embedded tracker, TCP and UDP (default: any free one).")
    int trackerPort;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "6881", converter = CliConverters.Port.class,
        description = "Peer port, TCP and UDP (default: ${DEFAULT-VALUE}; 0 = any free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR",
        description = "Address other peers reach this machine at, put in the magnet link and tracker URL "
            + "(default: this machine's first LAN address).")
    String host;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.torrent", description = "Also write the torrent here.")
    Path torrentFile;

    @Mixin
    ProgressOptions progress;

    @Mixin
    RateLimitOptions limits;

    @Override
    public Integer call() throws Exception {
        progress.check(spec);
        List<String> selection = new ArrayList<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                return InfoCommand.badInput(spec.commandLine().getErr(), "no such file or folder: " + p);
            }
            if (paths.size() > 1 && (abs.getParent() == null || !abs.getParent().equals(
                paths.get(0).toAbsolutePath().normalize().getParent()) || abs.getParent().getParent() == null)) {
                throw new ParameterException(spec.commandLine(), "several paths must be in one folder (they are "
                    + "shared as that folder's torrent); put them in a folder and send that");
            }
            selection.add(abs.getFileName().toString());
        }
        // Several paths: the torrent is their folder, holding only them.
        Path first = paths.get(0).toAbsolutePath().normalize();
        Path source = paths.size() > 1 ? first.getParent() : first;
        String publicHost = host != null ? host : LocalAddress.guess();
        TrackerServer embedded = tracker == null ? startTracker() : null;
        try {
            String announce = tracker != null ? tracker
                : "http://" + LocalAddress.hostPort(publicHost, embedded.httpAddress().getPort()) + "/announce";
            Metainfo m = build(source, paths.size() > 1 ? selection : null, announce);
            if (m == null) {
                return 2;
            }
            try (RunningNode running = RunningNode.start(limits.applyTo(PeerNodeConfig.builder().port(port)).build())) {
                TorrentHandle handle = running.node().add(m, source.getParent(), true);
                MagnetLink magnet = new MagnetLink(m.infoHash(), m.name(), List.of(announce),
                    List.of(LocalAddress.hostPort(publicHost, running.node().port())));
                announceReady(m, magnet, embedded != null);
                try (ProgressSink sink = progress.sink(spec, "send", m.totalLength())) {
                    return new TransferWatch(handle, sink, running.interrupted()).untilInterrupted();
                }
            }
        } catch (InterruptedException e) {
            return TransferWatch.INTERRUPTED;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private TrackerServer startTracker() throws CliFailure, InterruptedException {
        try {
            return TrackerServer.start(TrackerConfig.defaults(InetAddress.getByAddress(new byte[4]), trackerPort));
        } catch (IOException | RuntimeException e) {
            throw new CliFailure("cannot start the embedded tracker on port " + trackerPort + ": "
                + TransferWatch.oneLine(e) + " (choose another --tracker-port, or give --tracker URL)");
        }
    }

    /** Hashes the source into a torrent and writes {@code -o}; null after printing a bad-input line. */
    private Metainfo build(Path source, List<String> selection, String announce) throws CliFailure {
        Metainfo m;
        HashingProgress hashing = new HashingProgress(spec.commandLine().getErr(), progress.chatty());
        try (PieceVerifier verifier = new PieceVerifier(PieceVerifier.defaultThreads())) {
            TorrentBuilder builder = TorrentBuilder.of(source).tracker(announce);
            if (selection != null) {
                builder.only(selection);
            }
            m = builder.build(verifier, hashing);
        } catch (IOException | MetainfoException e) {
            hashing.end();
            InfoCommand.badInput(spec.commandLine().getErr(), e.getMessage());
            return null;
        }
        hashing.end();
        if (torrentFile != null) {
            try {
                MetainfoWriter.write(m, torrentFile);
            } catch (IOException e) {
                throw new CliFailure("cannot write " + torrentFile + ": " + TransferWatch.oneLine(e));
            }
        }
        return m;
    }

    private void announceReady(Metainfo m, MagnetLink magnet, boolean embeddedTracker) {
        PrintWriter out = spec.commandLine().getOut();
        if (progress.json) {
            new JsonProgress(out).line(Map.of("magnet", magnet.format(), "info_hash", m.infoHash().hex(),
                "name", m.name(), "total_bytes", m.totalLength()));
        } else if (progress.chatty()) {
            out.println("sharing " + m.name() + " (" + Units.bytes(m.totalLength()) + ", " + m.pieceCount()
                + " pieces), info hash " + m.infoHash().hex() + (embeddedTracker ? ", tracker here" : ""));
            out.println(magnet.format());
            out.println("on the other machine: shoal get '" + magnet.format() + "' -o DIR");
            out.println("seeding until Ctrl-C");
        } else {
            out.println(magnet.format());
        }
        out.flush();
    }
}
