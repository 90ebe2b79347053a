package io.shoal.peer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shoal perf}: an iperf-like goodput test over raw KCP; the work is in its two subcommands. */
@Command(name = "perf", mixinStandardHelpOptions = true,
    description = "Measure goodput over raw KCP between two hosts (iperf-like).",
    subcommands = {PerfServerCommand.class, PerfClientCommand.class})
final class PerfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (server, client)");
    }
}
