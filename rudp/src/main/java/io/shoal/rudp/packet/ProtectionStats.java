package io.shoal.rudp.packet;

import io.shoal.rudp.crypto.NoiseCipher;

/**
 * Snapshot of one {@link PacketProtection}'s counters, and the cipher the handshake negotiated.
 *
 * @param cipher the cipher protecting the packets
 * @param sealed packets sealed
 * @param opened packets opened
 * @param malformed dropped as malformed
 * @param duplicates dropped as replays
 * @param tooOld dropped below the replay window
 * @param authFailed dropped for failing authentication
 * @param keyDiscarded dropped because their key was already discarded
 * @param sendKeyUpdates times the send key moved on
 * @param receiveKeyUpdates times the peer's key moved on
 */
public record ProtectionStats(NoiseCipher cipher, long sealed, long opened, long malformed, long duplicates, long tooOld,
                              long authFailed, long keyDiscarded, long sendKeyUpdates, long receiveKeyUpdates) {
}
