package io.shoal.rudp.packet;

/**
 * Sliding anti-replay window over 64-bit packet numbers, the bitmap scheme of RFC 6479: 2048 bits in 32 words used
 * as a ring, so sliding forward clears whole words instead of shifting. A packet number is fresh if it is above the
 * largest seen, or inside the window and not yet marked. {@link #check} is cheap and runs before decryption;
 * {@link #mark} runs only after the packet authenticated, so forged packets never move the window.
 */
public final class ReplayWindow {
    /** Bits in the ring. */
    public static final int SIZE_BITS = 2048;
    private static final int WORDS = SIZE_BITS / 64;
    private static final int WORD_MASK = WORDS - 1;
    /** Numbers this far below the largest are always refused (one word of the ring is the sliding slack). */
    public static final int WINDOW = SIZE_BITS - 64;

    /** Result of {@link #check}. */
    public enum Verdict {
        /** Not seen before and inside or above the window. */
        FRESH,
        /** Already seen. */
        DUPLICATE,
        /** Below the window: too old to tell, refused. */
        TOO_OLD
    }

    private final long[] bits = new long[WORDS];
    private long largest = -1;

    /** @return the verdict for {@code pn} without changing the window */
    public Verdict check(final long pn) {
        if (pn > largest) {
            return Verdict.FRESH;
        }
        if (pn + WINDOW <= largest) {
            return Verdict.TOO_OLD;
        }
        final int word = (int) ((pn >>> 6) & WORD_MASK);
        return (bits[word] & (1L << (pn & 63))) != 0 ? Verdict.DUPLICATE : Verdict.FRESH;
    }

    /** Records an authenticated {@code pn}; call only after {@link #check} returned {@link Verdict#FRESH}. */
    public void mark(final long pn) {
        if (pn > largest) {
            final long fromWord = largest < 0 ? 0 : (largest >>> 6) + 1;
            final long toWord = pn >>> 6;
            final long clear = Math.min(toWord - fromWord + 1, WORDS);
            for (long i = 0; i < clear; i++) {
                bits[(int) ((toWord - i) & WORD_MASK)] = 0;
            }
            largest = pn;
        }
        bits[(int) ((pn >>> 6) & WORD_MASK)] |= 1L << (pn & 63);
    }

    /** @return the largest packet number marked, or -1 */
    public long largest() {
        return largest;
    }
}
