package io.shoal.rudp.crypto;

/**
 * A Noise message could not be processed: authentication failed, a message was too short, a DH result was all
 * zeros, or a nonce ran out. Network input causes these, so the exception carries no stack trace (building one per
 * garbage packet would hand an attacker a cheap way to burn CPU); the message says which check failed.
 */
public final class NoiseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message which check failed, one short line */
    public NoiseException(final String message) {
        super(message, null, false, false);
    }
}
