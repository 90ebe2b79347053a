package io.shoal.peer.cli;

import io.shoal.rudp.cc.CongestionControl;
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

    static InetAddress bindAddress(CommandSpec spec, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "unknown bind address '" + host + "'");
        }
    }
}
