package io.shoal.peer.cli;

import io.shoal.rudp.cc.CongestionControl;
import picocli.CommandLine.Option;

/** The engine options every command that opens an rudp connection shares ({@code --mode}, {@code --cc}). */
final class TransportOptions {
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "turbo", converter = CliConverters.Mode.class,
        description = "KCP preset: turbo, fast or normal (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--cc", paramLabel = "CC", defaultValue = "bbr", converter = CliConverters.Cc.class,
        description = "Congestion control: bbr, cubic, kcp or none (default: ${DEFAULT-VALUE}).")
    CongestionControl cc;
}
