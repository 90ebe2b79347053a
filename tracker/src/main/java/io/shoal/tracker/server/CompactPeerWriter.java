package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.registry.PeerSink;

/**
 * Writes selected peers in the compact form of BEP 23 (IPv4: 4 + 2 bytes) and BEP 7 (IPv6: 16 + 2 bytes), the same
 * bytes BEP 15 uses. IPv4 and IPv6 peers may go to different buffers (HTTP's {@code peers} and {@code peers6}).
 * Reused; point it at buffers with {@link #target} before each selection.
 */
final class CompactPeerWriter implements PeerSink {
    private ByteBuf v4;
    private ByteBuf v6;

    CompactPeerWriter target(ByteBuf v4Out, ByteBuf v6Out) {
        this.v4 = v4Out;
        this.v6 = v6Out;
        return this;
    }

    @Override
    public void peer4(long ipPort) {
        v4.writeInt((int) (ipPort >>> 16)).writeShort((int) ipPort);
    }

    @Override
    public void peer6(long ipHigh, long ipLow, int port) {
        v6.writeLong(ipHigh).writeLong(ipLow).writeShort(port);
    }
}
