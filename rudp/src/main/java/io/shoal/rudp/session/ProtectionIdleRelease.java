package io.shoal.rudp.session;

import io.shoal.rudp.packet.PacketProtection;

/**
 * When an idle connection gives back its packet protection's rebuildable working state
 * ({@link PacketProtection#releaseIdleMemory()}: AES-GCM's JCA {@code Cipher} objects, about 0.9 KB per key in use):
 * once its engine is idle and no packet has gone either way for {@link #AFTER_NS}. Rebuilding costs about 3 us per
 * key on the next packet, so releasing the moment the engine went idle made a connection that sends a message a
 * second pay it on every message; after two quiet seconds such a connection keeps its ciphers and only connections
 * idle for longer (whose keepalives are 10 s apart by default) pay it, at most once per keepalive.
 *
 * <p>No timer object of its own: the connection's {@link ConnectionTimers} folds {@link #deadlineNs} into the one
 * deadline the endpoint's heap holds for the connection, and calls {@link #releaseIfDue} when it fires. Stateless;
 * times in the endpoint's clock (ns).
 */
public final class ProtectionIdleRelease {
    /** Quiet time (no packet sent or received, engine idle) after which a connection releases, in ns. */
    public static final long AFTER_NS = 2_000_000_000L;

    private ProtectionIdleRelease() {
    }

    /**
     * @param lastReceiveNs when the connection last received an authenticated packet
     * @param lastSendNs when it last sent one
     * @return when {@link #releaseIfDue} has work, or {@link Deadlines#NONE} when nothing is held to release
     */
    static long deadlineNs(final PacketProtection protection, final long lastReceiveNs, final long lastSendNs) {
        return protection != null && protection.holdsIdleMemory()
                ? later(lastReceiveNs, lastSendNs) + AFTER_NS : Deadlines.NONE;
    }

    /** Releases when the engine is idle and neither side has sent for {@link #AFTER_NS} by {@code nowNs}. */
    static void releaseIfDue(final PacketProtection protection, final boolean engineIdle, final long lastReceiveNs,
                             final long lastSendNs, final long nowNs) {
        if (engineIdle && protection != null && nowNs - (later(lastReceiveNs, lastSendNs) + AFTER_NS) >= 0) {
            protection.releaseIdleMemory();
        }
    }

    private static long later(final long aNs, final long bNs) {
        return bNs - aNs > 0 ? bNs : aNs;
    }
}
