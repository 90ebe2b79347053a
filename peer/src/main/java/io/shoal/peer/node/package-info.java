/**
 * The networked peer: {@link io.shoal.peer.node.PeerNode} runs torrents over TCP and secure rudp on one port number,
 * driving the sans-IO {@code wire} codec and the {@code swarm} engines from one Netty handler per connection.
 */
package io.shoal.peer.node;
