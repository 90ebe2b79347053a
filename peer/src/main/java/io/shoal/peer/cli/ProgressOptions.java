package io.shoal.peer.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/** {@code --json} and {@code --quiet}, shared by the transfer commands, and the sink they select. */
final class ProgressOptions {
    @Option(names = "--json", description = "Print one JSON object per second on stdout instead of a progress bar "
        + "(state, fraction, bytes, total_bytes, down_rate, up_rate, peers, eta_s, ...).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    /** Rejects {@code --json} with {@code --quiet} (exit 2). */
    void check(CommandSpec spec) {
        if (json && quiet) {
            throw new ParameterException(spec.commandLine(), "--json and --quiet exclude each other");
        }
    }

    /** True when human-readable lines (magnet link, hints, summaries) should be printed. */
    boolean chatty() {
        return !json && !quiet;
    }

    /** A bar on a terminal, plain lines otherwise; JSON or nothing when asked. */
    ProgressSink sink(CommandSpec spec, String task, long totalBytes) {
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            return ProgressSink.quiet();
        }
        if (json) {
            return new JsonProgress(out);
        }
        return System.console() != null ? new BarProgress(task, totalBytes)
            : new LineProgress(spec.commandLine().getErr());
    }
}
