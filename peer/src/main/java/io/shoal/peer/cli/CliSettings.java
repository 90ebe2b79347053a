package io.shoal.peer.cli;

import io.shoal.rudp.cc.CcParams;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.cc.CongestionControllers;
import io.shoal.rudp.perf.PerfSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns option values into settings, reporting bad combinations as command-line errors (exit code 2). */
final class CliSettings {
    private CliSettings() {
    }

    static PerfSettings perf(CommandSpec spec, String mode, CongestionControl cc, int mtu, int window) {
        try {
            return new PerfSettings(mode, cc, mtu, window);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * {@code cc} if this build has it. A default that is missing falls back to {@link CongestionControl#NONE} with a
     * note on stderr; one the user asked for is a command-line error.
     */
    static CongestionControl available(CommandSpec spec, CongestionControl cc) {
        try {
            CongestionControllers.create(cc, new CcParams(1376, 2, 200_000_000L, 2048));
            return cc;
        } catch (IllegalArgumentException e) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--cc")) {
                throw new ParameterException(spec.commandLine(), "--cc " + cc.cliName()
                    + " is not available in this build yet");
            }
            spec.commandLine().getErr().println("shoal: note: " + cc.cliName()
                + " is not available in this build yet; using --cc none");
            spec.commandLine().getErr().flush();
            return CongestionControl.NONE;
        }
    }

    static InetAddress bindAddress(CommandSpec spec, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "unknown bind address '" + host + "'");
        }
    }
}
