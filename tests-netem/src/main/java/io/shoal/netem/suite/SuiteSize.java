package io.shoal.netem.suite;

import java.util.Locale;

/**
 * How much traffic each scenario carries and how long it may take. {@link #SHORT} is the CI profile (the whole
 * short matrix in about two minutes on two cores); {@link #FULL} runs on demand.
 *
 * @param bulkBytes           bytes of the bulk stream
 * @param interactiveMessages 200-byte messages, one every 20 ms
 * @param announces           tracker announces per protocol (UDP and HTTP)
 * @param timeLimitMs         a scenario that has not completed by then fails
 */
public record SuiteSize(String id, int bulkBytes, int interactiveMessages, int announces, long timeLimitMs) {
    public static final SuiteSize SHORT = new SuiteSize("short", 1 << 20, 100, 6, 45_000);
    public static final SuiteSize FULL = new SuiteSize("full", 16 << 20, 500, 30, 180_000);

    /** "short" or "full" (case-insensitive). */
    public static SuiteSize parse(String id) {
        return switch (id.toLowerCase(Locale.ROOT)) {
            case "short" -> SHORT;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown suite size '" + id + "' (short or full)");
        };
    }
}
