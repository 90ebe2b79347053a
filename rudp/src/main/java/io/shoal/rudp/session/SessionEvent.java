package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.packet.DatagramKind;

import java.net.InetSocketAddress;

/**
 * What a {@link SecureEndpoint} tells its driver, drained with {@link SecureEndpoint#pollEvent()} after every input.
 * READABLE and WRITABLE are edge-triggered: READABLE comes again only after a read found nothing left, WRITABLE
 * after a send was refused for a full queue.
 */
public sealed interface SessionEvent {
    /** @return the connection concerned, or null for {@link Foreign} */
    SecureConnection connection();

    /** A peer completed a handshake with this (server) socket. */
    record Accepted(SecureConnection connection) implements SessionEvent {
    }

    /** A connection started with {@link SecureEndpoint#connect} completed its handshake and may send. */
    record Established(SecureConnection connection) implements SessionEvent {
    }

    /** Data is ready: read it with {@link SecureConnection#pollMessage()} or {@link SecureConnection#receive}. */
    record Readable(SecureConnection connection) implements SessionEvent {
    }

    /** The send queue drained below half after a refused send. */
    record Writable(SecureConnection connection) implements SessionEvent {
    }

    /**
     * The connection ended. Data that arrived before the end can still be read now; the endpoint frees the
     * connection once it stops lingering (a closed connection answers a repeated CLOSE for a while).
     */
    record Closed(SecureConnection connection, CloseReason reason) implements SessionEvent {
    }

    /**
     * A DHT, STUN or UDP-tracker datagram that shares the socket, for the protocol that owns it.
     *
     * @param datagram owned by the receiver of the event, which must release it
     */
    record Foreign(DatagramKind kind, InetSocketAddress sender, ByteBuf datagram) implements SessionEvent {
        @Override
        public SecureConnection connection() {
            return null;
        }
    }
}
