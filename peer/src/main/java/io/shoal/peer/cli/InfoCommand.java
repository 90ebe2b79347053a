package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;
import io.shoal.peer.storage.StoredFile;
import io.shoal.rudp.perf.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code shoal info FILE.torrent}: name, size, pieces, info hash, magnet link, trackers and files, or with
 * {@code --json} one JSON object. A file that is not a valid torrent prints one line on stderr and exits with 2.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show what a .torrent holds.")
final class InfoCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent", description = "The torrent to read.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Metainfo m;
        try {
            m = MetainfoReader.read(file);
        } catch (NoSuchFileException e) {
            return badInput(spec.commandLine().getErr(), "no such file: " + file);
        } catch (MetainfoException e) {
            return badInput(spec.commandLine().getErr(), e.getMessage());
        } catch (IOException e) {
            return badInput(spec.commandLine().getErr(), "cannot read " + file + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(MAPPER.writeValueAsString(toMap(m)));
        } else {
            print(m, out);
        }
        out.flush();
        return 0;
    }

    /** Prints {@code shoal: <message>} on one line and returns the bad-input exit code (2). */
    static int badInput(PrintWriter err, String message) {
        err.println("shoal: " + message.replace('\n', ' '));
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static void print(Metainfo m, PrintWriter out) {
        out.println("name:       " + m.name());
        out.println("size:       " + Units.bytes(m.totalLength()) + " (" + m.totalLength() + " bytes) in "
            + m.files().size() + " file(s)");
        out.println("pieces:     " + m.pieceCount() + " x " + Units.bytes(m.pieceLength()));
        out.println("info hash:  " + m.infoHash().hex());
        out.println("magnet:     " + m.magnet().format());
        out.println("private:    " + (m.isPrivate() ? "yes" : "no"));
        for (List<String> tier : m.announceTiers()) {
            out.println("tracker:    " + String.join(" ", tier));
        }
        if (m.comment() != null) {
            out.println("comment:    " + m.comment());
        }
        if (m.createdBy() != null) {
            out.println("created by: " + m.createdBy());
        }
        if (m.creationDateSec() >= 0) {
            out.println("created:    " + Instant.ofEpochSecond(m.creationDateSec()));
        }
        out.println("files:");
        for (StoredFile f : m.files()) {
            out.printf("  %14d  %s%n", f.length(), f.displayPath());
        }
    }

    private static Map<String, Object> toMap(Metainfo m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", m.name());
        j.put("total_bytes", m.totalLength());
        j.put("piece_bytes", m.pieceLength());
        j.put("pieces", m.pieceCount());
        j.put("info_hash", m.infoHash().hex());
        j.put("magnet", m.magnet().format());
        j.put("private", m.isPrivate());
        j.put("trackers", m.announceTiers());
        j.put("comment", m.comment());
        j.put("created_by", m.createdBy());
        j.put("creation_date_sec", m.creationDateSec() >= 0 ? m.creationDateSec() : null);
        j.put("files", m.files().stream().map(f -> Map.of("path", f.displayPath(), "bytes", f.length())).toList());
        return j;
    }
}
