package io.shoal.rudp.netty;

/**
 * Decides whether a datagram from an unknown (address, conv) starts a new conversation on a server socket. Runs on
 * the event loop, before the first datagram is handed to the new engine.
 */
@FunctionalInterface
public interface RawKcpAcceptor {
    /** Returns the listener for the new connection, or null to refuse it (the datagram is dropped). */
    RawKcpListener accept(RawKcpConnection connection);
}
