package io.shoal.rudp.perf;

import java.util.Locale;

/** Formatting of byte counts and rates for progress lines. */
public final class Units {
    private Units() {
    }

    /** {@code 1536} → {@code "1.5 KiB"}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** Megabits per second of {@code bytes} over {@code nanos}; 0 for an empty interval. */
    public static double mbps(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes * 8.0 / nanos * 1e3;
    }
}
