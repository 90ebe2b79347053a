package io.shoal.tracker.client;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Compact peer lists (BEP 23: 4 + 2 bytes; BEP 7: 16 + 2 bytes) to socket addresses, and back for IPv4. */
final class CompactPeers {
    private CompactPeers() {
    }

    /** The peers in {@code buf[from, to)}; a trailing partial entry is ignored. */
    static List<InetSocketAddress> parse(ByteBuf buf, int from, int to, boolean v6) {
        int ipBytes = v6 ? 16 : 4;
        List<InetSocketAddress> peers = new ArrayList<>((to - from) / (ipBytes + 2));
        byte[] ip = new byte[ipBytes];
        for (int at = from; at + ipBytes + 2 <= to; at += ipBytes + 2) {
            buf.getBytes(at, ip);
            peers.add(new InetSocketAddress(address(ip), buf.getUnsignedShort(at + ipBytes)));
        }
        return peers;
    }

    static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not 4 or 16 bytes", e);
        }
    }

    static int ipv4(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("rendezvous is IPv4 only: " + a);
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
