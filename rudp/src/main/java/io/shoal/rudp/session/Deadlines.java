package io.shoal.rudp.session;

/**
 * Absolute deadlines in nanoseconds (from the caller's clock, e.g. {@code System.nanoTime()}), compared by
 * subtraction so clock wrap-around is harmless; {@link #NONE} means no timer armed.
 */
final class Deadlines {
    /** No timer armed. */
    static final long NONE = Long.MAX_VALUE;

    private Deadlines() {
    }

    /** The earlier of two deadlines, either of which may be {@link #NONE}. */
    static long earlier(final long a, final long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }
}
