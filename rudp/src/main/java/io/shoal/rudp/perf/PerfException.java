package io.shoal.rudp.perf;

/** A perf run failed for a reason worth one line to the user (no server, dead link, protocol error). */
public final class PerfException extends Exception {
    private static final long serialVersionUID = 1L;

    public PerfException(String message) {
        super(message);
    }
}
