package io.shoal.peer.cli;

import io.shoal.rudp.netty.LeakDetectionDefault;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * The {@code shoal} command. Subcommands live in their own classes and are listed here. Modules that depend on peer
 * add theirs as a {@link CliPlugin} ({@code netem} from tests-netem).
 *
 * <p>Exit codes: 0 success, 1 the run failed, 2 bad command line or input, 130 interrupted (Ctrl-C).
 */
@Command(name = "shoal", mixinStandardHelpOptions = true, versionProvider = ShoalCli.Version.class,
    description = "Reliable UDP (KCP) transport and peer-to-peer file transfer.",
    subcommands = {SendCommand.class, GetCommand.class, SeedCommand.class, CreateCommand.class, InfoCommand.class,
        TrackerCommand.class, DemoCommand.class, PerfCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success (get: every piece verified)", "1:the transfer or run failed",
        "2:bad command line or bad input (a missing file, an invalid torrent or magnet link)",
        "130:interrupted by Ctrl-C (resume data kept)"})
public final class ShoalCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        LeakDetectionDefault.offUnlessConfigured();
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line: one-line errors, exit codes 1 and 2. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new ShoalCli());
        for (CliPlugin plugin : ServiceLoader.load(CliPlugin.class)) {
            cli.addSubcommand(plugin.command());
        }
        cli.setParameterExceptionHandler(ShoalCli::badArguments);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failed(cmd, e));
        return cli;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
            "missing command (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("shoal: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
            + " --help')");
        cmd.getErr().flush();
        return CommandLine.ExitCode.USAGE;
    }

    static int failed(CommandLine cmd, Exception e) {
        String message = e.getMessage() != null && e instanceof CliFailure ? e.getMessage() : String.valueOf(e);
        cmd.getErr().println("shoal: " + message);
        cmd.getErr().flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The version from the jar manifest ({@code Implementation-Version}). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ShoalCli.class.getPackage().getImplementationVersion();
            return new String[] {"shoal " + (v != null ? v : "(development build)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
