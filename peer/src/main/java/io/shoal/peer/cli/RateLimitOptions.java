package io.shoal.peer.cli;

import io.shoal.peer.node.PeerNodeConfig;
import picocli.CommandLine.Option;

/** {@code --up-limit} and {@code --down-limit}, shared by send, get and seed: the node's global limits. */
final class RateLimitOptions {
    @Option(names = "--up-limit", paramLabel = "RATE", converter = CliConverters.Size.class,
        description = "Upload at most RATE bytes per second, e.g. 5M or 800K (default: unlimited).")
    Long upBytesPerSec;

    @Option(names = "--down-limit", paramLabel = "RATE", converter = CliConverters.Size.class,
        description = "Download at most RATE bytes per second, e.g. 5M or 800K (default: unlimited).")
    Long downBytesPerSec;

    /** Sets the limits given on the command line on {@code builder}; returns it. */
    PeerNodeConfig.Builder applyTo(PeerNodeConfig.Builder builder) {
        if (upBytesPerSec != null) {
            builder.uploadLimitBytesPerSec(upBytesPerSec);
        }
        if (downBytesPerSec != null) {
            builder.downloadLimitBytesPerSec(downBytesPerSec);
        }
        return builder;
    }
}
