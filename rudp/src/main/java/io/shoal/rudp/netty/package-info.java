/**
 * The Netty shell for the raw KCP profile: bare KCP segments in UDP datagrams, the conversation id agreed by the
 * callers (no handshake). {@link io.shoal.rudp.netty.RawKcpHandler} sits on a {@code DatagramChannel} and drives one
 * {@link io.shoal.rudp.kcp.KcpEngine} per (remote address, conv) on the channel's event loop;
 * {@link io.shoal.rudp.netty.RawKcpEndpoint} binds a socket with it; applications use
 * {@link io.shoal.rudp.netty.RawKcpConnection} and {@link io.shoal.rudp.netty.RawKcpListener}.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.rudp.netty;
