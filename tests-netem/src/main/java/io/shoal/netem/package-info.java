/**
 * The impairment proxy: {@link io.shoal.netem.NetemServer} serves a Toxiproxy 2.x compatible HTTP API (so the stock
 * {@code toxiproxy-java} client drives it) and runs the proxies it creates: TCP proxies with Toxiproxy's toxics, and
 * UDP proxies ({@code udp://} addresses) whose toxics apply per datagram through the shared
 * {@link io.shoal.rudp.impair.LinkModel}, plus datagram toxics (loss with correlation, duplicate, corrupt, reorder,
 * rebind, mtu, blackout). {@link io.shoal.netem.NetemCommand} is {@code shoal netem}.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.netem;
