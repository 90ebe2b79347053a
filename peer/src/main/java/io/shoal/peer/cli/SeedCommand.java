package io.shoal.peer.cli;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;
import io.shoal.peer.node.PeerNodeConfig;
import io.shoal.peer.node.TorrentHandle;
import io.shoal.rudp.perf.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shoal seed FILE.torrent DIR}: checks the data in DIR against the torrent and seeds it until Ctrl-C. */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Seed a torrent whose data is in DIR, until Ctrl-C.")
final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent", description = "The torrent.")
    Path torrent;

    @Parameters(index = "1", paramLabel = "DIR", description = "The folder that holds its file or folder.")
    Path directory;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "6881", converter = CliConverters.Port.class,
        description = "Peer port, TCP and UDP (default: ${DEFAULT-VALUE}; 0 = any free one).")
    int port;

    @Mixin
    ProgressOptions progress;

    @Mixin
    RateLimitOptions limits;

    @Override
    public Integer call() throws Exception {
        progress.check(spec);
        Metainfo m;
        try {
            m = MetainfoReader.read(torrent);
        } catch (NoSuchFileException e) {
            return InfoCommand.badInput(spec.commandLine().getErr(), "no such file: " + torrent);
        } catch (MetainfoException | IOException e) {
            return InfoCommand.badInput(spec.commandLine().getErr(), TransferWatch.oneLine(e));
        }
        if (!Files.isDirectory(directory)) {
            return InfoCommand.badInput(spec.commandLine().getErr(), "no such folder: " + directory);
        }
        try (RunningNode running = RunningNode.start(limits.applyTo(PeerNodeConfig.builder().port(port)).build())) {
            TorrentHandle handle = running.node().add(m, directory, true);
            if (progress.chatty()) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("seeding " + m.name() + " (" + Units.bytes(m.totalLength()) + ") from " + directory
                    + " on port " + running.node().port() + " until Ctrl-C");
                out.println(m.magnet().format());
                out.flush();
            }
            try (ProgressSink sink = progress.sink(spec, "seed", m.totalLength())) {
                return new TransferWatch(handle, sink, running.interrupted()).untilInterrupted();
            }
        } catch (InterruptedException e) {
            return TransferWatch.INTERRUPTED;
        }
    }
}
