package io.shoal.peer.cli;

import io.shoal.rudp.cc.CongestionControl;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** picocli converters whose errors read well on one line. */
final class CliConverters {
    private CliConverters() {
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT}; the host is resolved now. */
    static final class HostPort implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new TypeConversionException("expected HOST:PORT, got '" + value + "'");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw new TypeConversionException("write an IPv6 address in brackets: [" + host + "]:PORT");
            }
            int port = Port.parse(value.substring(colon + 1));
            if (port == 0) {
                throw new TypeConversionException("port 0 is not a destination");
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("unknown host '" + host + "'");
            }
        }
    }

    /** A UDP port, 0..65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parse(value);
        }

        static int parse(String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a port (0..65535)");
        }
    }

    /** {@code bbr|cubic|kcp|none}. */
    static final class Cc implements ITypeConverter<CongestionControl> {
        @Override
        public CongestionControl convert(String value) {
            try {
                return CongestionControl.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code turbo|fast|normal}, lower-cased. */
    static final class Mode implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String mode = value.trim().toLowerCase(Locale.ROOT);
            if (!mode.equals("turbo") && !mode.equals("fast") && !mode.equals("normal")) {
                throw new TypeConversionException("unknown mode '" + value + "' (expected turbo, fast or normal)");
            }
            return mode;
        }
    }

    /** A byte count with an optional binary suffix: {@code 8M}, {@code 8MiB}, {@code 512k}, {@code 1g}. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("ib")) {
                v = v.substring(0, v.length() - 2);
            } else if (v.endsWith("b")) {
                v = v.substring(0, v.length() - 1);
            }
            long unit = 1;
            if (!v.isEmpty()) {
                char last = v.charAt(v.length() - 1);
                int shift = last == 'k' ? 10 : last == 'm' ? 20 : last == 'g' ? 30 : 0;
                if (shift > 0) {
                    unit = 1L << shift;
                    v = v.substring(0, v.length() - 1);
                }
            }
            try {
                double n = Double.parseDouble(v.trim());
                if (n >= 1 && n * unit <= (1L << 40)) {
                    return (long) (n * unit);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a size between 1 B and 1 TiB (e.g. 8M)");
        }
    }
}
