package io.shoal.peer.cli;

import io.shoal.peer.metainfo.MagnetLink;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;
import io.shoal.peer.node.PeerNodeConfig;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.peer.node.TransferStatus;
import io.shoal.rudp.perf.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shoal get MAGNET|FILE.torrent}: downloads into {@code -o DIR}, verifying every piece, and exits 0 when
 * complete (or keeps seeding with {@code --seed}). For a magnet link the info dictionary comes from peers first
 * (BEP 9). Existing data in DIR is checked and kept, so an interrupted download resumes.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Download a magnet link or .torrent, verify it, exit when complete.")
final class GetCommand implements Callable<Integer> {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MAGNET|FILE.torrent", description = "What to download.")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
        description = "Folder to download into (default: the current one).")
    Path directory;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "0", converter = CliConverters.Port.class,
        description = "Peer port, TCP and UDP (default: any free one).")
    int port;

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = CliConverters.HostPort.class,
        description = "Connect to this peer too; repeat for more.")
    List<InetSocketAddress> peers = new ArrayList<>();

    @Option(names = "--seed", description = "Keep seeding after the download completes, until Ctrl-C.")
    boolean seed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "Give up (exit 1) when not complete after this many seconds (default: wait for ever).")
    long timeoutSec;

    @Mixin
    ProgressOptions progress;

    @Mixin
    RateLimitOptions limits;

    @Override
    public Integer call() throws Exception {
        progress.check(spec);
        if (timeoutSec < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be 0 or more");
        }
        MagnetLink magnet = null;
        Metainfo metainfo = null;
        try {
            if (source.regionMatches(true, 0, "magnet:", 0, 7)) {
                magnet = MagnetLink.parse(source);
            } else {
                metainfo = MetainfoReader.read(Path.of(source));
            }
        } catch (NoSuchFileException e) {
            return InfoCommand.badInput(spec.commandLine().getErr(), "no such file: " + source
                + " (expected a magnet link or a .torrent)");
        } catch (MetainfoException e) {
            return InfoCommand.badInput(spec.commandLine().getErr(), e.getMessage());
        } catch (IOException | InvalidPathException e) {
            return InfoCommand.badInput(spec.commandLine().getErr(), "cannot read '" + source
                + "' (expected a magnet link or a .torrent): " + TransferWatch.oneLine(e));
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            return InfoCommand.badInput(spec.commandLine().getErr(), "not a folder: " + directory);
        }
        try (RunningNode running = RunningNode.start(limits.applyTo(PeerNodeConfig.builder().port(port)).build())) {
            TorrentHandle handle;
            Files.createDirectories(directory);
            if (magnet != null) {
                MagnetResolver resolver = new MagnetResolver(magnet, running.node().peerId(), running.node().port(),
                    peers, this::warn);
                resolver.askTrackers();
                say("fetching metadata for " + magnet.infoHash().hex() + " from " + resolver.peers().size()
                    + " peer(s)");
                handle = resolver.addTo(running.node(), directory, METADATA_TIMEOUT);
            } else {
                handle = running.node().add(metainfo, directory, false);
                peers.forEach(handle::addPeer);
            }
            return download(running, handle);
        } catch (InterruptedException e) {
            return TransferWatch.INTERRUPTED;
        }
    }

    private int download(RunningNode running, TorrentHandle handle) throws Exception {
        Metainfo m = handle.metainfo();
        say("getting " + m.name() + " (" + Units.bytes(m.totalLength()) + ") into " + directory);
        long startNs = System.nanoTime();
        try (ProgressSink sink = progress.sink(spec, "get", m.totalLength())) {
            int code = new TransferWatch(handle, sink, running.interrupted()).untilComplete(timeoutSec);
            if (code != 0) {
                return code;
            }
        }
        summary(m, handle.status(), System.nanoTime() - startNs);
        if (!seed) {
            return 0;
        }
        try (ProgressSink sink = progress.sink(spec, "seed", m.totalLength())) {
            return new TransferWatch(handle, sink, running.interrupted()).untilInterrupted();
        }
    }

    private void summary(Metainfo m, TransferStatus s, long elapsedNs) {
        say(String.format(Locale.ROOT, "complete: %s, %s in %.1f s (%s/s), all %d pieces verified; saved in %s",
            m.name(), Units.bytes(m.totalLength()), elapsedNs / 1e9,
            Units.bytes((long) (s.downloadedBytes() / Math.max(1e-9, elapsedNs / 1e9))), m.pieceCount(),
            directory.resolve(m.name())));
    }

    private void say(String line) {
        if (progress.chatty()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(line);
            out.flush();
        }
    }

    private void warn(String line) {
        if (!progress.quiet) {
            spec.commandLine().getErr().println("shoal: warning: " + line);
            spec.commandLine().getErr().flush();
        }
    }
}
