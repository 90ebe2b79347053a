package io.shoal.rudp.sim;

import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;

/**
 * The application on one side of a {@link KcpSimEndpoint}: it sends and reads through the engine whenever the
 * endpoint wakes it (after every input, and at its own {@link #nextWakeNs()}), all in virtual time.
 */
public interface KcpSimApp {
    /** Sends and reads what it can now. May run early; must be harmless then. */
    void onWake(long nowNs, KcpEngine engine);

    /** The next time the application wants to run on its own (e.g. a message timer), or {@link SimEndpoint#NO_DEADLINE}. */
    default long nextWakeNs() {
        return SimEndpoint.NO_DEADLINE;
    }

    /** An event the engine emitted. */
    default void onEvent(long nowNs, KcpEvent event) {
    }

    /** True when the application has nothing more to send or expect. */
    default boolean isDone() {
        return true;
    }

    /** Releases what the application holds; idempotent. */
    default void close() {
    }

    /** An application that does nothing: a bare engine. */
    static KcpSimApp none() {
        return (nowNs, engine) -> { };
    }
}
