package io.shoal.rudp.session;

import io.shoal.rudp.packet.ResponderHandshake;

/**
 * Where a server {@link SecureEndpoint} sends the Diffie-Hellman work of the initiations it admitted, so that work
 * runs on other cores (WireGuard queues handshakes to workers the same way). The implementation runs
 * {@link ResponderHandshake#compute()} on some thread, then calls {@link SecureEndpoint#handleComputedHandshake} on
 * the endpoint's own thread. {@link HandshakeWorkers} is the thread-pool one; a test may run jobs whenever it likes.
 */
@FunctionalInterface
public interface HandshakeOffload {
    /**
     * Queues {@code job}; never blocks.
     *
     * @return false when the queue is full: the job is not run, and the endpoint forgets and counts the initiation
     */
    boolean submit(ResponderHandshake job);
}
