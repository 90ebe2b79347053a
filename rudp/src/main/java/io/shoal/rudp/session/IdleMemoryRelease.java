package io.shoal.rudp.session;

import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.packet.PacketProtection;

/**
 * When an idle connection gives back the working memory it can rebuild: its packet protection's ciphers
 * ({@link PacketProtection#releaseIdleMemory()}: AES-GCM's JCA {@code Cipher} objects, about 0.9 KB per key in use)
 * and its engine's pooled segment buffers and rings ({@link KcpEngine#releaseIdleMemory()}), once the engine is idle
 * and no packet has gone either way for {@link #AFTER_NS}.
 *
 * <p>Why a quiet spell rather than the moment the engine goes idle: rebuilding a cipher costs about 3 us per key on
 * the next packet, so a connection sending a message a second paid it on every message; and a bulk receiver's engine
 * is idle after every drained read batch (its ACKs written, nothing of its own to send), so it gave its pooled
 * segments back and reallocated them on the next batch (2.5-3% of a secure receiver's event loop). After two quiet
 * seconds only connections idle for longer (whose keepalives are 10 s apart by default) release, at most once per
 * keepalive, and an idle connection still ends up holding only its objects (under 4 KiB).
 *
 * <p>No timer object of its own: the connection's {@link ConnectionTimers} folds {@link #deadlineNs} into the one
 * deadline the endpoint's heap holds for the connection, and releases when {@link #isDue}. Stateless; times in the
 * endpoint's clock (ns).
 */
public final class IdleMemoryRelease {
    /** Quiet time (no packet sent or received, engine idle) after which a connection releases, in ns. */
    public static final long AFTER_NS = 2_000_000_000L;

    private IdleMemoryRelease() {
    }

    /**
     * @param holdsMemory whether the connection holds anything a release would let go
     * @param lastReceiveNs when the connection last received an authenticated packet
     * @param lastSendNs when it last sent one
     * @return when a release is due, or {@link Deadlines#NONE} when nothing is held to release
     */
    static long deadlineNs(final boolean holdsMemory, final long lastReceiveNs, final long lastSendNs) {
        return holdsMemory ? later(lastReceiveNs, lastSendNs) + AFTER_NS : Deadlines.NONE;
    }

    /** @return whether the engine is idle and neither side has sent for {@link #AFTER_NS} by {@code nowNs} */
    static boolean isDue(final boolean engineIdle, final long lastReceiveNs, final long lastSendNs,
                         final long nowNs) {
        return engineIdle && nowNs - (later(lastReceiveNs, lastSendNs) + AFTER_NS) >= 0;
    }

    private static long later(final long aNs, final long bNs) {
        return bNs - aNs > 0 ? bNs : aNs;
    }
}
