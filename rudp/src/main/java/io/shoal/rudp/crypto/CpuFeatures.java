package io.shoal.rudp.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this CPU has AES instructions, read once from {@code /proc/cpuinfo} (Linux): the {@code aes} flag on
 * x86 ({@code flags} line) or aarch64 ({@code Features} line). Anywhere the file is missing or unreadable the
 * answer is false, so {@link CipherSuite#AUTO} falls back to ChaCha20-Poly1305, which is fast in plain software.
 */
public final class CpuFeatures {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuFeatures() {
    }

    /** @return whether the CPU advertises AES instructions (computed once) */
    public static boolean hasAesInstructions() {
        return Holder.AES;
    }

    /** @return whether any {@code flags} or {@code Features} line of a cpuinfo text lists {@code aes} */
    static boolean listsAes(final List<String> cpuinfoLines) {
        for (final String line : cpuinfoLines) {
            final int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            final String key = line.substring(0, colon).trim();
            if (!"flags".equals(key) && !"Features".equals(key)) {
                continue;
            }
            for (final String flag : line.substring(colon + 1).trim().split("\\s+")) {
                if ("aes".equals(flag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lazy holder: the file is read on first use only. */
    private static final class Holder {
        static final boolean AES = read();

        private static boolean read() {
            try {
                return listsAes(Files.readAllLines(CPUINFO, StandardCharsets.ISO_8859_1));
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
