package io.shoal.peer.cli;

import io.shoal.rudp.netty.RawKcpTransport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code --transport auto|epoll|nio} and {@code --no-offload} of the perf commands: how the socket does I/O. */
final class PerfTransportOption {
    @Option(names = "--transport", paramLabel = "T", defaultValue = "auto", converter = Converter.class,
        description = "Socket transport: auto (epoll where it loads, else nio), epoll or nio "
            + "(default: ${DEFAULT-VALUE}).")
    RawKcpTransport transport;

    @Option(names = "--no-offload",
        description = "On epoll, send and read datagram by datagram (sendmmsg/recvmmsg) instead of handing the "
            + "kernel runs of them (UDP_SEGMENT writes, UDP_GRO reads).")
    boolean noOffload;

    /** The transport the socket will really use; a clear one-line failure when epoll was asked for but is absent. */
    RawKcpTransport resolved() throws CliFailure {
        try {
            return transport.resolve();
        } catch (IllegalStateException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    static final class Converter implements ITypeConverter<RawKcpTransport> {
        @Override
        public RawKcpTransport convert(String value) {
            try {
                return RawKcpTransport.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected auto, epoll or nio, got '" + value + "'");
            }
        }
    }
}
