/**
 * The Netty shell for the secure profile: {@link io.shoal.rudp.netty.channel.RudpCodec} on a
 * {@code DatagramChannel} owns every connection of the socket (a {@link io.shoal.rudp.session.SecureEndpoint}) and
 * gives each one a child {@link io.shoal.rudp.netty.channel.RudpChannel}; {@link io.shoal.rudp.netty.channel.RudpServer}
 * and {@link io.shoal.rudp.netty.channel.RudpClient} bind sockets with it.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.rudp.netty.channel;
