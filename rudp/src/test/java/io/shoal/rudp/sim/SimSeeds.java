package io.shoal.rudp.sim;

/**
 * Seeds for simulations (Aeron's {@code RandomWatcher} idea): the system property {@value #PROPERTY} forces one, every
 * failure message carries the seed and a one-line replay command, and {@link #mix} derives independent sub-seeds
 * (one per link direction, one per scenario) from one scenario seed.
 */
public final class SimSeeds {
    /** System property that forces the seed, in decimal or {@code 0x}-prefixed hexadecimal. */
    public static final String PROPERTY = "shoal.sim.seed";

    private SimSeeds() {
    }

    /** True when {@value #PROPERTY} is set. */
    public static boolean isForced() {
        final String value = System.getProperty(PROPERTY);
        return value != null && !value.isBlank();
    }

    /** The forced seed if {@value #PROPERTY} is set, else {@code defaultSeed}. */
    public static long resolve(final long defaultSeed) {
        return isForced() ? parse(System.getProperty(PROPERTY)) : defaultSeed;
    }

    /** Parses {@code 0x…} hexadecimal (as {@link #format} prints) or signed decimal. */
    public static long parse(final String text) {
        final String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        return Long.parseLong(t);
    }

    /** The seed as {@code 0x} and 16 hex digits. */
    public static String format(final long seed) {
        return String.format("0x%016x", seed);
    }

    /**
     * A sub-seed for {@code stream} (a direction, a scenario index), well spread even for consecutive inputs: the
     * SplitMix64 finaliser over {@code seed + (stream + 1) * golden gamma}.
     */
    /** @return a deterministic SecureRandom: SHA1PRNG seeded before first use never mixes in system entropy */
    public static java.security.SecureRandom secureRandom(final long seed) {
        try {
            final java.security.SecureRandom r = java.security.SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long mix(final long seed, final long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The Maven command that replays one test method of the {@code rudp} module with {@code seed}. */
    public static String replayCommand(final Class<?> testClass, final String method, final long seed) {
        return replayCommand("rudp", testClass, method, seed);
    }

    /** The Maven command that replays one test method of {@code module} with {@code seed}. */
    public static String replayCommand(final String module, final Class<?> testClass, final String method,
                                       final long seed) {
        return "mvn -q -B -ntp -pl " + module + " -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest="
            + testClass.getSimpleName() + (method == null ? "" : "#" + method) + " -D" + PROPERTY + "=" + format(seed);
    }

    /** One line naming the seed and how to replay it, for failure messages. */
    public static String failureLine(final Class<?> testClass, final String method, final long seed) {
        return "seed " + format(seed) + "; replay: " + replayCommand(testClass, method, seed);
    }
}
