/**
 * The secure profile's wire format and its sans-IO machinery, specified in {@code rudp/PROTOCOL.md}:
 * {@link io.shoal.rudp.packet.SecurePacketType} (the reserved first-byte range), packet protection with anti-replay
 * and key update ({@link io.shoal.rudp.packet.PacketProtection}), stateless cookies
 * ({@link io.shoal.rudp.packet.CookieValidator}), the handshake driver ({@link io.shoal.rudp.packet.SecureHandshake}),
 * path validation ({@link io.shoal.rudp.packet.PathValidator}) and the demultiplexer that lets one UDP socket carry
 * secure, DHT, STUN and UDP-tracker traffic ({@link io.shoal.rudp.packet.DatagramDemux}). Bytes and {@code nowNs} in,
 * bytes and deadlines out: nothing here reads a clock or touches a socket.
 */
package io.shoal.rudp.packet;
