package io.shoal.peer.cli;

import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoWriter;
import io.shoal.peer.metainfo.TorrentBuilder;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.rudp.perf.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shoal create PATH -o FILE.torrent}: hashes a file or folder on every core into a v1 {@code .torrent}, then
 * prints its info hash and magnet link. On a terminal it shows hashing progress on stderr. Exit 0 on success, 2 on
 * bad input (a missing or unsafe path, a bad option), 1 when the output cannot be written.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Make a .torrent from a file or folder.")
final class CreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to share.")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.torrent", required = true,
        description = "Where to write the torrent.")
    Path output;

    @Option(names = {"-t", "--tracker"}, paramLabel = "URL",
        description = "Tracker announce URL; repeat for more (each its own tier).")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--piece-length", paramLabel = "SIZE", converter = CliConverters.Size.class,
        description = "Piece length, a power of two from 16k to 16M (default: chosen from the size, "
            + "about 1000-2000 pieces).")
    long pieceLength;

    @Option(names = "--private", description = "Set the private flag: peers only from the torrent's trackers.")
    boolean privateFlag;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A comment stored in the torrent.")
    String comment;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean powerOfTwo = Long.bitCount(pieceLength) == 1 && pieceLength >= 16 << 10 && pieceLength <= 16 << 20;
        if (pieceLength != 0 && !powerOfTwo) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--piece-length must be a power of two from 16k to 16M, not " + pieceLength);
        }
        if (!Files.exists(source)) {
            return InfoCommand.badInput(err, "no such file or folder: " + source);
        }
        TorrentBuilder builder = TorrentBuilder.of(source).pieceLength((int) pieceLength).privateFlag(privateFlag)
            .comment(comment);
        trackers.forEach(builder::tracker);
        Metainfo m;
        HashingProgress progress = new HashingProgress(err, true);
        try (PieceVerifier verifier = new PieceVerifier(PieceVerifier.defaultThreads())) {
            m = builder.build(verifier, progress);
        } catch (IOException | MetainfoException e) {
            progress.end();
            return InfoCommand.badInput(err, e.getMessage());
        }
        progress.end();
        try {
            MetainfoWriter.write(m, output);
        } catch (IOException e) {
            throw new CliFailure("cannot write " + output + ": " + e);
        }
        out.println("created " + output + ": " + m.name() + ", " + Units.bytes(m.totalLength()) + " in "
            + m.files().size() + " file(s), " + m.pieceCount() + " pieces of " + Units.bytes(m.pieceLength())
            + ", info hash " + m.infoHash().hex());
        out.println(m.magnet().format());
        out.flush();
        return 0;
    }
}
