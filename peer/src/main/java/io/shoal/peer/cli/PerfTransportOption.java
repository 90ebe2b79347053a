package io.shoal.peer.cli;

import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.perf.PerfProfile;
import io.shoal.rudp.perf.PerfSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * {@code --profile secure|raw}, {@code --cipher}, {@code --transport auto|epoll|nio} and {@code --no-offload} of the
 * perf commands: what the connection speaks and how the socket does I/O. Client and server must use the same
 * profile; the server accepts either cipher.
 */
final class PerfTransportOption {
    @Option(names = "--profile", paramLabel = "P", defaultValue = "secure", converter = ProfileConverter.class,
        description = "secure (Noise handshake, then AES-GCM or ChaCha20-Poly1305 on every datagram) or raw "
            + "(bare KCP); the server and its clients must agree (default: ${DEFAULT-VALUE}).")
    PerfProfile profile;

    @Option(names = "--cipher", paramLabel = "C", defaultValue = "auto", converter = CipherConverter.class,
        description = "Secure profile cipher the client proposes: auto (aes-128-gcm where the CPU has AES "
            + "instructions, else chacha20-poly1305), aes-128-gcm, aes-256-gcm or chacha20-poly1305; a server "
            + "accepts all three (default: ${DEFAULT-VALUE}).")
    CipherSuite cipher;

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

    /** These settings with the chosen profile and transport. */
    PerfSettings apply(PerfSettings settings) throws CliFailure {
        return settings.withTransport(resolved(), !noOffload).withProfile(profile).withCipher(cipher);
    }

    static final class ProfileConverter implements ITypeConverter<PerfProfile> {
        @Override
        public PerfProfile convert(String value) {
            try {
                return PerfProfile.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected secure or raw, got '" + value + "'");
            }
        }
    }

    static final class CipherConverter implements ITypeConverter<CipherSuite> {
        @Override
        public CipherSuite convert(String value) {
            try {
                return CipherSuite.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected auto, aes-128-gcm, aes-256-gcm or chacha20-poly1305, got '"
                    + value + "'");
            }
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
