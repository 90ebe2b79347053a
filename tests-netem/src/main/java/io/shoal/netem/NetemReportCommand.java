package io.shoal.netem;

import io.shoal.netem.suite.ScenarioResult;
import io.shoal.netem.suite.ScenarioRunner;
import io.shoal.netem.suite.SuiteReport;
import io.shoal.netem.suite.SuiteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shoal netem report}: runs the lossy-network suite (every link profile of the size crossed with every
 * workload, plus kcptun where installed) and writes {@code report.md}, {@code report.csv} and PNG charts into
 * {@code --out}. Progress goes to stderr, the report's path to stdout. Exit codes: 0 when every scenario that ran
 * passed, 1 when one failed or the report could not be written, 2 for a bad command line.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Run the lossy-network suite through in-process impairment proxies and write report.md, "
        + "report.csv and PNG charts."})
public final class NetemReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "netem-report",
        description = "Directory for the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--profile", paramLabel = "short|full", defaultValue = "short",
        description = "short: the CI handful of link profiles with small payloads (a few minutes); full: all ten "
            + "with bigger payloads (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20261122",
        description = "Seed of the proxies and the payloads (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workloads", paramLabel = "ID", split = ",",
        description = "Only the workloads whose id starts with one of these (for example rudp-bulk,quic,kcptun); "
            + "default: all.")
    List<String> workloads = List.of();

    @Override
    public Integer call() {
        SuiteSize size;
        try {
            size = SuiteSize.parse(profile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid --profile: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<ScenarioResult> results = new SuiteReport(new ScenarioRunner(size, seed), err).run(out,
                workloads);
            long failed = results.stream().filter(r -> r.status() == ScenarioResult.Status.FAILED).count();
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println("netem report: " + out.resolve("report.md") + " (" + results.size() + " scenarios, "
                + failed + " failed)");
            stdout.flush();
            return failed == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("shoal: cannot write the report to " + out + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
