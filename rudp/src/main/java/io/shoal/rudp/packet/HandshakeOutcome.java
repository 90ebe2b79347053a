package io.shoal.rudp.packet;

import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.PeerKey;

import java.net.InetSocketAddress;

/**
 * A completed handshake: the connection's packet protection and identities. The caller owns the protection object
 * and confines it to one thread.
 *
 * @param protection seals with this side's send key, opens with the peer's
 * @param localConnectionId the id the peer writes into our packets; route inbound packets by it
 * @param peerConnectionId the id we write into the peer's packets
 * @param peerKey the peer's authenticated static key
 * @param handshakeHash Noise channel binding, identical on both sides
 * @param pattern the Noise pattern that ran
 * @param peerAddress where the handshake came from (responder side), or null (initiator side)
 */
public record HandshakeOutcome(PacketProtection protection, long localConnectionId, long peerConnectionId,
                               PeerKey peerKey, byte[] handshakeHash, HandshakePattern pattern,
                               InetSocketAddress peerAddress) {
}
