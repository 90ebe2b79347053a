package io.shoal.rudp.session;

import io.shoal.rudp.kcp.KcpStats;
import io.shoal.rudp.packet.ProtectionStats;

/**
 * Snapshot of one connection: the engine's counters (RTT, cwnd, bytes, retransmissions), packet protection's
 * (sealed, opened, drops by reason, key updates), and the session's own.
 *
 * @param state the lifecycle state
 * @param kcp engine counters, or null before the handshake completes
 * @param protection packet protection counters, or null before the handshake completes
 * @param pacingRateBytesPerSecond the congestion controller's pacing rate, or 0
 * @param keepalivesSent empty DATA packets sent to keep the path alive
 * @param pathChanges times the peer's address changed after validation
 */
public record ConnectionStats(SecureConnection.State state, KcpStats kcp, ProtectionStats protection,
                              long pacingRateBytesPerSecond, long keepalivesSent, long pathChanges) {
}
