package io.shoal.netem;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A proxy's {@code listen} or {@code upstream} address as written in the API: {@code host:port}, {@code [v6]:port},
 * or either with a {@code udp://} prefix, which makes the proxy a UDP proxy. The host is resolved only when the
 * address is used (Toxiproxy dials the upstream per connection, so it need not exist when the proxy is created).
 *
 * @param udp true when written with {@code udp://}
 * @param host host name or literal, without brackets; empty means every interface
 * @param port 0 to 65535; 0 binds an ephemeral port
 */
record ProxyAddress(boolean udp, String host, int port) {
    static final String UDP_PREFIX = "udp://";

    /** Parses {@code text}; an empty listen address means {@code :0}, as in Toxiproxy. */
    static ProxyAddress parse(String text, boolean udpDefault) {
        String rest = text;
        boolean udp = udpDefault;
        if (rest.regionMatches(true, 0, UDP_PREFIX, 0, UDP_PREFIX.length())) {
            udp = true;
            rest = rest.substring(UDP_PREFIX.length());
        }
        if (rest.isEmpty()) {
            return new ProxyAddress(udp, "", 0);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw ApiException.badRequest("missing port in address " + text);
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid port in address " + text);
        }
        if (port < 0 || port > 65535) {
            throw ApiException.badRequest("invalid port in address " + text);
        }
        return new ProxyAddress(udp, host, port);
    }

    /** A socket address to bind or connect to; resolves the host now (may block on DNS). */
    InetSocketAddress resolve() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The text the API returns for a bound socket address, with the prefix when {@code udp}. */
    static String format(boolean udp, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host;
        if (ip == null) {
            host = address.getHostString();
        } else if (ip instanceof Inet6Address) {
            host = ip.isAnyLocalAddress() ? "[::]" : "[" + ip.getHostAddress() + "]"; // Go writes [::]
        } else {
            host = ip.getHostAddress();
        }
        return (udp ? UDP_PREFIX : "") + host + ":" + address.getPort();
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (udp ? UDP_PREFIX : "") + h + ":" + port;
    }
}
