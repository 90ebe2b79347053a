package io.shoal.peer.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The address other machines most likely reach this one at, for the magnet links and tracker URLs we print. */
final class LocalAddress {
    private LocalAddress() {
    }

    /**
     * The first IPv4 address of an interface that is up, not loopback and not point-to-point (a LAN address),
     * else the loopback address. {@code --host} overrides it when the guess is wrong (NAT, several networks).
     */
    static String guess() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || nif.isPointToPoint() || nif.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: fall back to loopback
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** {@code host:port}, brackets around an IPv6 host, as magnet {@code x.pe} entries and URLs want. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
