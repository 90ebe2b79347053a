package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * Where {@link SecureEndpoint#drainTransmits} puts each outgoing datagram, in order; a socket shell writes it to its
 * channel. Unlike {@link SecureEndpoint#pollTransmit()} nothing is allocated per datagram besides the datagram.
 */
@FunctionalInterface
public interface DatagramSink {
    /** Takes ownership of {@code datagram} (release it, or hand it to a channel that will), bound for {@code to}. */
    void send(ByteBuf datagram, InetSocketAddress to);
}
