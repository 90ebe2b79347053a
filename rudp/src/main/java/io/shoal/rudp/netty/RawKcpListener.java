package io.shoal.rudp.netty;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link RawKcpConnection} tells its application. Every callback runs on the connection's event loop, so it
 * must not block; it may call {@link RawKcpConnection#send} and {@link RawKcpConnection#close} directly.
 */
public interface RawKcpListener {
    /**
     * Received data: one whole message in message mode, the next in-order bytes in stream mode. Borrows
     * {@code data}: the shell releases it when this returns, so call {@code retain()} to keep it.
     */
    void onMessage(RawKcpConnection connection, ByteBuf data);

    /** {@link RawKcpConnection#isWritable()} changed; {@code true} means send more. */
    default void onWritabilityChanged(RawKcpConnection connection, boolean writable) {
    }

    /**
     * A segment went unacknowledged {@code deadLink} times: the peer is unreachable. {@link #onClosed} follows at
     * once.
     */
    default void onLinkDead(RawKcpConnection connection) {
    }

    /** The conversation ended (closed by the application, dead link, idle timeout or socket closed). Last call. */
    default void onClosed(RawKcpConnection connection) {
    }
}
