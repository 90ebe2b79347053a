package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * One datagram to send, from {@link SecureEndpoint#pollTransmit()}.
 *
 * @param destination where to send it
 * @param datagram the bytes; the caller owns the buffer and must release it (or hand it to a channel that will)
 */
public record Transmit(InetSocketAddress destination, ByteBuf datagram) {
}
