package io.shoal.netem.suite;

/** The traffic completed but what arrived differs from what was sent (digest, a lost or duplicated message). */
public final class IntegrityException extends Exception {
    public IntegrityException(String message) {
        super(message);
    }
}
