/**
 * The BitTorrent peer wire protocol as a sans-IO codec: BEP 3 (handshake and messages), BEP 6 (fast extension),
 * BEP 10 (extension protocol and its handshake, which also carries shoal's rudp port). Messages are records in the
 * sealed {@link io.shoal.peer.wire.PeerMessage}; {@link io.shoal.peer.wire.PeerWireDecoder} takes bytes in arbitrary
 * chunks and yields messages or an error value, never an exception; {@link io.shoal.peer.wire.PeerWireEncoder} writes
 * into a buffer the caller owns. The same codec serves rudp and TCP connections: it knows nothing of sockets, sessions
 * or storage.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.peer.wire;
